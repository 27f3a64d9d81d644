-- rules/dibao.lua — 最低生活保障 (dibao): the household test, the amount, 分类施保 supplements
-- and 单人保 (members covered on their own).
--
-- 社会救助暂行办法 Art. 9, 12; 最低生活保障审核确认办法（民发〔2021〕57号）Art. 7 (members),
-- 8 (separate application), 13 (income), 14 (assets), 23 (amount: the gap, or tiers), 27
-- (extra protection, the hook of local 分类施保); 关于进一步做好最低生活保障等社会救助兜底工作的
-- 通知（民政部等，2022）一(一) and 一(四) (单人户).

local REF = "最低生活保障审核确认办法（民发〔2021〕57号）"
local REF_2022 = "关于进一步做好最低生活保障等社会救助兜底工作的通知（民政部 中央农办 财政部 国家乡村振兴局，2022）"

local function counted_ids(F)
  local ids = {}
  for _, m in ipairs(F.counted) do ids[#ids + 1] = m.id end
  return ids
end

-- ------------------------------------------------------------------ household test

-- Per-capita counted income below the standard (tested exactly as total < standard × n: a
-- per-capita income equal to the standard is NOT below it), and assets within the dibao
-- limits. Returns v, reasons, missing.
function rules.dibao_household(h, ctx, F)
  if F.n == 0 and #F.membership_missing == 0 then
    return false, { rules.reason("dibao.no_members",
      "没有计入的共同生活家庭成员", "no counted household member", REF .. "第七条") }, {}
  end
  local S, total, n = F.standard, F.total_income, F.n
  local income_item
  if S == nil or total == nil then
    local miss = {}
    rules.missing_add(miss, F.standard_missing)
    rules.missing_add(miss, F.income_missing)
    income_item = { nil, nil, miss }
  else
    local params = {}
    rules.missing_add(params, F.standard_params)
    rules.missing_add(params, F.income_params)
    local line = S * n
    local txt_zh = "家庭月收入合计 " .. rules.yuan(total) .. " 元，低保标准 " .. rules.yuan(S) .. " 元 × " .. n .. " 人 = " .. rules.yuan(line) .. " 元"
    local txt_en = "household monthly income " .. rules.yuan(total) .. "; standard " .. rules.yuan(S) .. " x " .. n .. " persons = " .. rules.yuan(line)
    if total < line then
      income_item = { true, rules.reason("dibao.income.below",
        txt_zh .. "：人均收入低于低保标准", txt_en .. ": per-capita income below the standard",
        REF .. "第十三条、第二十三条；社会救助暂行办法 第九条", params), {} }
    else
      income_item = { false, rules.reason("dibao.income.not_below",
        txt_zh .. "：人均收入不低于低保标准", txt_en .. ": per-capita income not below the standard",
        REF .. "第十三条；社会救助暂行办法 第九条", params), {} }
    end
  end
  local av, ar, am = rules.assets_ok(h, ctx, "dibao", F)
  return rules.all_of({ income_item, { av, ar, am } })
end

-- ------------------------------------------------------------------ amounts

-- 分类施保 supplement of member m (fen / month): supplement.elderly (age ≥
-- supplement.elderly_age), .minor (under 18), .severe_disability (rules.severe_disability),
-- .serious_illness, each a share of the standard S; only the highest applies (就高不叠加,
-- policy-facts §9.1); all off unless a pack sets them. Returns fen, reason|nil, missing.
function rules.dibao_supplement(m, h, ctx, F, S)
  local age = F.by_id[m.id].age
  local best, best_kind, best_name = 0, nil, nil
  local missing = {}
  local function consider(kind, applies)
    local name = "supplement." .. kind
    local share = sa.param(name)
    if share == nil or not applies then return end
    local amount = sa.mul(S, share, share.rounding or "half_up_fen")
    if amount > best then best, best_kind, best_name = amount, kind, name end
  end
  if sa.param("supplement.elderly") ~= nil then
    local min_age = sa.param("supplement.elderly_age")
    if min_age == nil then
      missing[#missing + 1] = "param:supplement.elderly_age"
    else
      consider("elderly", age >= min_age)
    end
  end
  consider("minor", age < 18)
  consider("severe_disability", rules.severe_disability(m.disability))
  consider("serious_illness", m.serious_illness == true)
  if best_kind == nil then return 0, nil, missing end
  local zh = { elderly = "老年人", minor = "未成年人", severe_disability = "重度残疾人", serious_illness = "重病患者" }
  local params = { best_name }
  if best_kind == "elderly" then params[#params + 1] = "supplement.elderly_age" end
  return best, rules.reason("dibao.supplement." .. best_kind,
    m.id .. "：分类施保（" .. zh[best_kind] .. "）加发 " .. rules.yuan(best) .. " 元（就高不叠加）",
    m.id .. ": category supplement (" .. best_kind .. ") " .. rules.yuan(best) .. " (highest one only)",
    REF .. "第二十七条；社会救助暂行办法 第十二条第二款", params), missing
end

-- The monthly payment for `members` (array of member tables) with counted income `income`
-- (fen, their total, ≥ 0) at standard S. Returns fen|nil, reasons, missing.
--   * gap (national, Art. 23; 社会救助暂行办法 Art. 12): S × n − income, on the household
--     total — never a rounded per-capita gap (policy-facts §11 A3: 700 × 3 − 1000 = 1100).
--   * dibao.floor_share (A4, off unless set): when the gap is below floor × n, floor × n is
--     paid (floor = share × S, rounded by the parameter's rounding).
--   * rural households with dibao.rural_payment = tiered: the tier amount
--     (dibao.rural_tier_a/_b/_c by h.dibao_tier) × n; the floor does not apply.
--   * plus each member's 分类施保 supplement (rules.dibao_supplement).
function rules.dibao_payment(h, ctx, F, S, members, income)
  local n = #members
  local who_zh, who_en = "家庭月收入", "household income"
  if n == 1 and F.n > 1 then who_zh, who_en = "本人月收入", "own income" end
  local reasons, missing = {}, {}
  local base
  local method = sa.param("dibao.rural_payment") or "gap"
  if h.area == "rural" and method == "tiered" then
    local tier = h.dibao_tier
    if tier == nil then
      missing[#missing + 1] = "household.dibao_tier"
    else
      local name = "dibao.rural_tier_" .. string.lower(tier)
      local pay = sa.param(name)
      if pay == nil then
        missing[#missing + 1] = "param:" .. name
      else
        base = pay * n
        reasons[#reasons + 1] = rules.reason("dibao.amount.tiered",
          "农村低保分档计发：" .. tier .. "档 " .. rules.yuan(pay) .. " 元 × " .. n .. " 人 = " .. rules.yuan(base) .. " 元",
          "rural tiered payment: tier " .. tier .. " " .. rules.yuan(pay) .. " x " .. n .. " = " .. rules.yuan(base),
          REF .. "第二十三条", { "dibao.rural_payment", name })
      end
    end
  else
    local gap = S * n - income
    if gap < 0 then gap = 0 end
    base = gap
    reasons[#reasons + 1] = rules.reason("dibao.amount.gap",
      "差额计发：低保标准 " .. rules.yuan(S) .. " 元 × " .. n .. " 人 − " .. who_zh .. " " .. rules.yuan(income) .. " 元 = " .. rules.yuan(gap) .. " 元",
      "gap payment: standard " .. rules.yuan(S) .. " x " .. n .. " - " .. who_en .. " " .. rules.yuan(income) .. " = " .. rules.yuan(gap),
      REF .. "第二十三条；社会救助暂行办法 第十二条", rules.missing_add({ "dibao.rural_payment" }, F.standard_params))
    local fs = sa.param("dibao.floor_share")
    if fs ~= nil then
      local floor = sa.mul(S, fs, fs.rounding or "half_up_fen")
      if gap < floor * n then
        base = floor * n
        reasons[#reasons + 1] = rules.reason("dibao.amount.floor",
          "差额低于保底额，按每人 " .. rules.yuan(floor) .. " 元 × " .. n .. " 人 = " .. rules.yuan(base) .. " 元发放",
          "gap below the floor; paid " .. rules.yuan(floor) .. " x " .. n .. " = " .. rules.yuan(base),
          "地方低保资金管理办法（保底发放）", { "dibao.floor_share" })
      end
    end
  end
  local extra = 0
  for _, m in ipairs(members) do
    local sup, r, miss = rules.dibao_supplement(m, h, ctx, F, S)
    extra = extra + sup
    if r then reasons[#reasons + 1] = r end
    rules.missing_add(missing, miss)
  end
  if base == nil or #missing > 0 then return nil, reasons, missing end
  return base + extra, reasons, missing
end

-- ------------------------------------------------------------------ 单人保

-- Members covered on their own when the household as a whole is not dibao.
-- Returns an array of { m =, basis =, v =, reasons =, missing = } for every candidate.
--
-- (a) 民发〔2021〕57号 Art. 8 (一)(二) and the 2022 notice 一(四): in a 低保边缘 household, a
--     member with a severe disability (grade 1–2, or intellectual / mental grade 3) or a
--     locally recognised serious illness may be covered as a single-person household.
--     The household is 边缘: not dibao, per-capita income below edge.income_multiple × S and
--     assets within the 边缘 limits. Where a pack sets dibao.single_household_multiple (辽宁
--     3× / 5×, 襄阳 2×) the test is on the REST of the household instead: the other counted
--     members' per-capita income below that multiple × S (none left: passes).
-- (b) 2022 notice 一(一): an adult (18+) unemployed (employment unemployed or none) severely
--     disabled member may apply as a single-person household (参照"单人户"). The national text
--     sets no limit on the rest of the household; the household's assets must be within the
--     dibao limits (decision; the schema has no per-person assets).
-- In both, the member's own counted income (negative counts as zero) must be below S, and the
-- amount is S − own income (rules.dibao_payment with one member).
function rules.dibao_single_candidates(h, ctx, F)
  local out = {}
  local S = F.standard
  for _, m in ipairs(F.counted) do
    local info = F.by_id[m.id]
    local severe = rules.severe_disability(m.disability)
    local ill = m.serious_illness == true
    local own = F.income[m.id]
    local own_item
    if own == nil or S == nil then
      own_item = { nil, nil, rules.missing_add(rules.missing_add({}, own == nil and { "member:" .. m.id .. ".income" } or {}), F.standard_missing) }
    else
      if own < 0 then own = 0 end
      own_item = { own < S, rules.reason(own < S and "dibao.single.own_below" or "dibao.single.own_not_below",
        m.id .. "：本人收入 " .. rules.yuan(own) .. " 元" .. (own < S and "低于" or "不低于") .. "低保标准 " .. rules.yuan(S) .. " 元",
        m.id .. ": own income " .. rules.yuan(own) .. (own < S and " below" or " not below") .. " the standard " .. rules.yuan(S),
        REF .. "第八条", F.standard_params), {} }
    end
    local done = false
    if severe or ill then
      -- (a) the household is 低保边缘 (or the rest of it within the local multiple)
      local hh_item
      local total = F.total_income
      local single_mult = sa.param("dibao.single_household_multiple")
      if single_mult ~= nil then
        if total == nil or S == nil or own == nil then
          hh_item = { nil, nil, rules.missing_add(rules.missing_add({}, F.income_missing), F.standard_missing) }
        else
          local rest = total - own
          if rest < 0 then rest = 0 end
          local others = F.n - 1
          local ok = others == 0 or rest * single_mult.den < single_mult.num * S * others
          hh_item = { ok, rules.reason(ok and "dibao.single.rest_within" or "dibao.single.rest_above",
            "其余家庭成员人均收入" .. (ok and "低于" or "不低于") .. "低保标准的规定倍数",
            "the other members' per-capita income is " .. (ok and "below" or "not below") .. " the local multiple of the standard",
            "地方单人保规定（如辽民发〔2020〕36号）", { "dibao.single_household_multiple" }), {} }
        end
      else
        local em = sa.param("edge.income_multiple")
        if em == nil or total == nil or S == nil then
          local miss = {}
          if em == nil then miss[1] = "param:edge.income_multiple" end
          rules.missing_add(miss, F.income_missing)
          rules.missing_add(miss, F.standard_missing)
          hh_item = { nil, nil, miss }
        else
          local ok = total * em.den < em.num * S * F.n
          hh_item = { ok, rules.reason(ok and "dibao.single.edge_household" or "dibao.single.not_edge_household",
            "家庭人均收入" .. (ok and "低于" or "不低于") .. "低保边缘家庭收入标准（低保标准的规定倍数）",
            "household per-capita income " .. (ok and "below" or "not below") .. " the dibao-edge line",
            REF .. "第八条第二款", { "edge.income_multiple" }), {} }
        end
      end
      local av, ar, am = rules.assets_ok(h, ctx, "edge", F)
      local basis = rules.reason(severe and "dibao.single.severe_disability" or "dibao.single.serious_illness",
        m.id .. "：低保边缘家庭中的" .. (severe and "重度残疾人（一、二级或三级智力、精神残疾）" or "重特大疾病患者") .. "，可单独申请",
        m.id .. ": " .. (severe and "severely disabled member" or "seriously ill member") .. " of a dibao-edge household may apply alone",
        REF .. "第八条" .. (severe and "（一）" or "（二）") .. "；" .. REF_2022 .. "一（四）")
      local v, reasons, missing = rules.all_of({ { true, basis, {} }, hh_item, { av, ar, am }, own_item })
      out[#out + 1] = { m = m, basis = "art8", v = v, reasons = reasons, missing = missing }
      done = v == true
    end
    if not done and severe and info.age >= 18 then
      -- (b) adult unemployed severely disabled person
      local emp = m.employment
      local emp_item
      if emp == nil then
        emp_item = { nil, nil, { "member:" .. m.id .. ".employment" } }
      else
        local jobless = emp == "unemployed" or emp == "none"
        emp_item = { jobless, rules.reason(jobless and "dibao.single.adult_jobless" or "dibao.single.adult_employed",
          m.id .. "：成年" .. (jobless and "无业" or "有业") .. "重度残疾人",
          m.id .. ": adult severely disabled person, " .. (jobless and "without work" or "in work"),
          REF_2022 .. "一（一）"), {} }
      end
      local av, ar, am = rules.assets_ok(h, ctx, "dibao", F)
      local basis = rules.reason("dibao.single.adult_severe",
        m.id .. "：成年无业重度残疾人可以参照“单人户”申请低保",
        m.id .. ": an adult unemployed severely disabled person may apply as a single-person household",
        REF_2022 .. "一（一）")
      local v, reasons, missing = rules.all_of({ { true, basis, {} }, emp_item, { av, ar, am }, own_item })
      -- keep the better answer of (a) and (b) for this member
      local prev = out[#out]
      if prev and prev.m.id == m.id then
        if v == true or (v == nil and prev.v == false) then
          out[#out] = { m = m, basis = "adult_severe", v = v, reasons = reasons, missing = missing }
        elseif v == nil and prev.v == nil then
          rules.missing_add(prev.missing, missing)
        end
      else
        out[#out + 1] = { m = m, basis = "adult_severe", v = v, reasons = reasons, missing = missing }
      end
    end
  end
  return out
end

-- ------------------------------------------------------------------ the program

-- F.dibao / F.dibao_reasons / F.dibao_missing hold the household test (rules.evaluate computes
-- it first: 特困 Art. 8 (二) needs it); F.dibao_single lists members covered alone.
function rules.dibao(h, ctx, F)
  local prog = { program = "dibao", members = {}, reasons = {}, missing = {} }
  local hv, hr, hm = F.dibao, F.dibao_reasons, F.dibao_missing
  if F.dibao_reasons == nil then
    hv, hr, hm = rules.dibao_household(h, ctx, F)
    F.dibao, F.dibao_reasons, F.dibao_missing = hv, hr, hm
  end
  F.dibao_single = {}
  for _, r in ipairs(rules.membership_reasons(F)) do prog.reasons[#prog.reasons + 1] = r end
  for _, r in ipairs(hr) do prog.reasons[#prog.reasons + 1] = r end
  if hv == true then
    prog.status = "eligible"
    prog.members = counted_ids(F)
    local amount, reasons, missing = rules.dibao_payment(h, ctx, F, F.standard, F.counted, F.total_income)
    for _, r in ipairs(reasons) do prog.reasons[#prog.reasons + 1] = r end
    rules.missing_add(prog.missing, missing)
    prog.amount = amount
    return prog
  end
  if hv == nil then
    prog.status = "undetermined"
    rules.missing_add(prog.missing, hm)
    return prog
  end
  -- the household is not dibao: members covered on their own
  local covered, unknown = {}, false
  for _, c in ipairs(rules.dibao_single_candidates(h, ctx, F)) do
    if c.v == true then
      covered[#covered + 1] = c
      for _, r in ipairs(c.reasons) do prog.reasons[#prog.reasons + 1] = r end
    elseif c.v == nil then
      unknown = true
      rules.missing_add(prog.missing, c.missing)
    end
  end
  if #covered == 0 then
    prog.status = unknown and "undetermined" or "ineligible"
    return prog
  end
  prog.status = "eligible"
  local total = 0
  for _, c in ipairs(covered) do
    local m = c.m
    prog.members[#prog.members + 1] = m.id
    F.dibao_single[#F.dibao_single + 1] = m.id
    local own = F.income[m.id]
    if own < 0 then own = 0 end
    local amount, reasons, missing = rules.dibao_payment(h, ctx, F, F.standard, { m }, own)
    for _, r in ipairs(reasons) do prog.reasons[#prog.reasons + 1] = r end
    rules.missing_add(prog.missing, missing)
    if total ~= nil and amount ~= nil then total = total + amount else total = nil end
  end
  prog.amount = total
  return prog
end
