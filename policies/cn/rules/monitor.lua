-- rules/monitor.lua — 政策找人: warnings from events (docs/monitoring.md).
--
-- rules.monitor(h, events, ctx) returns a list of alerts
--   { id, zh, en, ref, action = "visit" | "review" | "refer", due = YYYYMMDD, member = id|nil }
-- in a fixed order (event order, then the household-wide checks). Events dated after
-- ctx.as_of are ignored. Events: { kind, date, amount (fen), member, program, before, after,
-- unstable_income, note }; kinds: medical, hospitalisation, death, accident, disaster,
-- unemployment, disability_certificate, income_drop, enrolled, exited, review, phase_out, visit.
--
-- Decisions where the sources need reading:
--   * Medical costs: the sum of `medical` amounts (out of pocket after basic insurance, critical-
--     illness insurance and medical assistance) dated in the 12 months ending on as_of
--     (date > as_of − 12 months). Xi'an warns when the sum is "超过" (strictly above) the line,
--     so the test is `sum > threshold` (policy-facts §8.4). "Low-income people" (低收入人口,
--     国办发〔2023〕39号) = enrolled in tekun, dibao, edge, rigid or monitored. No threshold in
--     force: no medical warning (the national pack has none).
--   * 五必访 (seeds/004): 住院 (hospitalisation), 过世 (death), 突发变故 (accident), 受灾 (disaster)
--     each give a visit, and 特殊救助对象 (enrolled tekun, orphan, de_facto_orphan) get a visit
--     when no visit is recorded in the 12 months before as_of. A visit event dated on or after the
--     trigger (and not after as_of) settles the visit. Due: trigger date + monitor.visit_within_days,
--     or the trigger date itself when no pack sets it (the source gives no deadline).
--   * 30-day revisit (seeds/004): `enrolled` or `exited` → a visit due date + monitor.revisit_days,
--     settled by a visit in (date, due].
--   * Death: besides the visit, a review due death date + monitor.death_recheck_months (3, 2022
--     notice: 3个月内完成核查).
--   * Reviews (民发〔2021〕57号 Art. 30): for a household enrolled in dibao or tekun, the next review
--     is the last `review` (or `enrolled` into dibao/tekun) + 12 months, or + 6 months when the
--     last review noted `unstable_income` or a member is able to work (able_to_work true, aged
--     16–59). The alert is raised from one month before the due date on. Without any review or
--     enrolment event the last date is unknown: an alert `monitor.review.unknown`, due as_of.
--   * Phase-out (2022 notice): `phase_out` → review due start + monitor.phase_out_max_months (6).
--   * unemployment, a new disability certificate, a drop in income (`income_drop`, or before/after
--     with after < before): a review due the event date + 1 month (data matched monthly).

local REF_57 = "最低生活保障审核确认办法（民发〔2021〕57号）"
local REF_2022 = "关于进一步做好最低生活保障等社会救助兜底工作的通知（2022）"
local REF_39 = "关于加强低收入人口动态监测做好分层分类社会救助工作的意见（国办发〔2023〕39号）"
-- 五必访 and the 30-day revisit are the practice of 银川市兴庆区民政局 (社会救助顾问 pilot from
-- 2022-03), published as a case report; no national text sets them.
local REF_SEED = "银川市兴庆区民政局“社会救助顾问”基层试点：“五必访”与30天“回访制度”（2023-11-28 转载，http://fsqinghuo.com/xwzx/mzdt/202311/t20231128_4366093.html）"

-- Days from the civil date (proleptic Gregorian), for day arithmetic without os.
local function days(d)
  local y, m, dd = d // 10000, (d // 100) % 100, d % 100
  if m <= 2 then y = y - 1 end
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = (153 * mp + 2) // 5 + dd - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe
end

local function civil(z)
  local era = (z >= 0 and z or z - 146096) // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return y * 10000 + m * 100 + d
end

function rules.add_days(date, n)
  return civil(days(date) + n)
end

local function alert(id, action, due, member, zh, en, ref)
  return { id = id, action = action, due = due, member = member, zh = zh, en = en, ref = ref }
end

-- Low-income people (低收入人口) in the sense of 国办发〔2023〕39号.
function rules.monitor_low_income(h)
  local e = h.enrolments or {}
  return e.tekun or e.dibao or e.edge or e.rigid or e.monitored or false
end

-- The medical warning line in yuan and what it rests on: a fixed line where the place sets one
-- (monitor.medical_threshold_*), else a share of last year's per-capita disposable income
-- (monitor.medical_share_* × stats.disposable_income, as 滨州 publishes it); nil when unknown.
function rules.monitor_medical_line(low)
  local pname = low and "monitor.medical_threshold_low_income" or "monitor.medical_threshold_general"
  local line = sa.param(pname)
  if line ~= nil then return line, sa.param_ref(pname) end
  local sname = low and "monitor.medical_share_low_income" or "monitor.medical_share_general"
  local share = sa.param(sname)
  local income = share ~= nil and sa.param("stats.disposable_income") or nil
  if income == nil then return nil end
  return sa.mul(income, share), (sa.param_ref(sname) or sname) .. "；" .. (sa.param_ref("stats.disposable_income") or "")
end

local function visited(events, from, to, as_of)
  for _, ev in ipairs(events) do
    if ev.kind == "visit" and ev.date >= from and ev.date <= to and ev.date <= as_of then return true end
  end
  return false
end

local MUST_VISIT = {
  hospitalisation = { "monitor.visit.hospital", "住院必访", "hospitalisation: must visit" },
  death = { "monitor.visit.death", "过世必访", "death of a member: must visit" },
  accident = { "monitor.visit.accident", "突发变故必访", "sudden accident or change: must visit" },
  disaster = { "monitor.visit.disaster", "受灾必访", "disaster: must visit" },
}

local REVIEW_EVENTS = {
  unemployment = { "monitor.review.unemployment", "成员失业，收入可能下降，需核查家庭经济状况",
    "a member became unemployed: check the household's means", REF_39 .. "；" .. REF_2022 .. "（失业预警指标）" },
  disability_certificate = { "monitor.review.disability", "成员新办残疾证，可能符合单人保、特困或分类施保条件",
    "a member has a new disability certificate: check 单人保, tekun and supplements", REF_39 .. "；" .. REF_2022 .. "（残疾预警指标）" },
  income_drop = { "monitor.review.income_drop", "家庭收入明显下降，需核查是否符合救助条件",
    "household income dropped: check eligibility", REF_39 .. "；“八必访”（收入低或骤降）" },
}

function rules.monitor(h, events, ctx)
  local as_of = ctx.as_of
  local out = {}
  local list = {}
  for _, ev in ipairs(events or {}) do
    if ev.date <= as_of then list[#list + 1] = ev end
  end
  local visit_days = sa.param("monitor.visit_within_days") or 0

  -- medical out-of-pocket over the last 12 months, per person: the published lines are on
  -- 个人自付 (西安: 个人自付超过1万元; 滨州: 个人自付费用超过…50%). Events that name no member
  -- are summed as one unnamed person.
  local since = sa.add_months(as_of, -12)
  local sums, order = {}, {}
  for _, ev in ipairs(list) do
    if ev.kind == "medical" and ev.date > since then
      local who = ev.member or ""
      if sums[who] == nil then sums[who] = 0; order[#order + 1] = who end
      sums[who] = sums[who] + (ev.amount or 0)
    end
  end
  if #order > 0 then
    local low = rules.monitor_low_income(h)
    local line, ref = rules.monitor_medical_line(low)
    for _, who in ipairs(order) do
      local medical = sums[who]
      if line ~= nil and medical > line then
        out[#out + 1] = alert("monitor.medical_high", "review", sa.add_months(as_of, 1), who ~= "" and who or nil,
          "近12个月医保报销后个人自付 " .. sa.yuan(medical) .. " 元，超过" .. (low and "低收入人口" or "一般人群") ..
            "预警线 " .. sa.yuan(line) .. " 元：核查是否符合刚性支出困难家庭、医疗救助或临时救助",
          "out-of-pocket medical costs after insurance of " .. sa.yuan(medical) .. " in the last 12 months exceed the " ..
            (low and "low-income" or "general") .. " warning line " .. sa.yuan(line) .. ": check rigid-spending, medical and temporary assistance",
          REF_39 .. "；" .. (ref or "地方医保部门高额医疗费用预警"))
      end
    end
  end

  for _, ev in ipairs(list) do
    local mv = MUST_VISIT[ev.kind]
    if mv then
      local due = rules.add_days(ev.date, visit_days)
      if not visited(list, ev.date, math.maxinteger, as_of) then
        out[#out + 1] = alert(mv[1], "visit", due, ev.member, mv[2] .. "（五必访）", mv[3], REF_SEED)
      end
    end
    if ev.kind == "death" then
      local months = sa.param("monitor.death_recheck_months")
      if months ~= nil then
        out[#out + 1] = alert("monitor.review.death", "review", sa.add_months(ev.date, months), ev.member,
          "家庭成员死亡，须在 " .. months .. " 个月内完成核查并增发、减发或停发",
          "a member died: recheck and adjust or stop payments within " .. months .. " months", REF_2022)
      end
    end
    local rv = REVIEW_EVENTS[ev.kind]
    if ev.kind == "income_drop" and ev.before ~= nil and ev.after ~= nil and not (ev.after < ev.before) then
      rv = nil
    end
    if rv then
      out[#out + 1] = alert(rv[1], "review", sa.add_months(ev.date, 1), ev.member, rv[2], rv[3], rv[4])
    end
    if ev.kind == "enrolled" or ev.kind == "exited" then
      local nd = sa.param("monitor.revisit_days")
      if nd ~= nil then
        local due = rules.add_days(ev.date, nd)
        -- a visit on the day of the decision itself is not the revisit
        local later = false
        for _, v in ipairs(list) do
          if v.kind == "visit" and v.date > ev.date and v.date <= due then later = true end
        end
        if not later then
          out[#out + 1] = alert("monitor.revisit", "visit", due, ev.member,
            (ev.kind == "enrolled" and "新纳入" or "退出") .. "救助后 " .. nd .. " 天内回访",
            "revisit within " .. nd .. " days after " .. (ev.kind == "enrolled" and "enrolment" or "exit"), REF_SEED)
        end
      end
    end
    if ev.kind == "phase_out" then
      local months = sa.param("monitor.phase_out_max_months")
      if months ~= nil then
        out[#out + 1] = alert("monitor.phase_out_end", "review", sa.add_months(ev.date, months), ev.member,
          "渐退期原则上不超过 " .. months .. " 个月，期满前核查并停发或续保",
          "the phase-out lasts at most " .. months .. " months: review before it ends", REF_2022)
      end
    end
  end

  -- 特殊救助对象必访
  local e = h.enrolments or {}
  if e.tekun or e.orphan or e.de_facto_orphan then
    if not visited(list, sa.add_months(as_of, -12), as_of, as_of) then
      out[#out + 1] = alert("monitor.visit.special", "visit", rules.add_days(as_of, visit_days), nil,
        "特殊救助对象必访（近12个月无走访记录）", "special assistance recipient: must visit (no visit in 12 months)", REF_SEED)
    end
  end

  -- scheduled reviews of dibao and tekun households
  if e.dibao or e.tekun then
    local last, unstable = nil, false
    for _, ev in ipairs(list) do
      if ev.kind == "review" or (ev.kind == "enrolled" and (ev.program == nil or ev.program == "dibao" or ev.program == "tekun")) then
        if last == nil or ev.date >= last then last, unstable = ev.date, ev.unstable_income == true end
      end
    end
    local able = false
    for _, m in ipairs(h.members) do
      local age = sa.age(m.birth, as_of)
      if m.able_to_work == true and age >= 16 and age < 60 then able = true end
    end
    local stable_m, unstable_m = sa.param("monitor.review_months_stable"), sa.param("monitor.review_months_unstable")
    if last == nil then
      out[#out + 1] = alert("monitor.review.unknown", "review", as_of, nil,
        "无核查或纳入记录，无法确定下次定期核查日期", "no review or enrolment on record: the next review date is unknown",
        REF_57 .. "第三十条")
    elseif stable_m ~= nil and unstable_m ~= nil then
      local months = (unstable or able) and unstable_m or stable_m
      local due = sa.add_months(last, months)
      if as_of >= sa.add_months(due, -1) then
        out[#out + 1] = alert(months == stable_m and "monitor.review.annual" or "monitor.review.half_year", "review", due, nil,
          "定期核查：上次 " .. last .. "，每 " .. months .. " 个月" .. ((unstable or able) and "（收入不稳定或有劳动能力成员）" or "（收入基本稳定）"),
          "scheduled review: last " .. last .. ", every " .. months .. " months" .. ((unstable or able) and " (unstable income or members able to work)" or " (stable)"),
          REF_57 .. "第三十条")
      end
    end
  end
  return out
end
