-- rules/orphan.lua — 孤儿 and 事实无人抚养儿童 basic living allowance (基本生活费 / 基本生活补贴).
--
-- 国务院办公厅关于加强孤儿保障工作的意见（国办发〔2010〕54号）: an orphan is a minor under 18
-- who has lost both parents or whose parents cannot be found; a basic living allowance is paid
-- monthly, at rates set by provinces for scattered (散居, in a family) and institutional (机构集中
-- 养育) care. 关于进一步加强事实无人抚养儿童保障工作的意见（民发〔2019〕62号）一: a child whose
-- parents both fall in (or one is dead or missing and the other falls in) severe disability,
-- serious illness, custody ≥ 6 months, compulsory drug rehabilitation, other restriction of
-- liberty, or loss of contact ≥ 6 months; 三（一）: the allowance is linked to the local orphan
-- standard (orphan.subsidy_de_facto, else orphan.subsidy_scattered); a child already receiving
-- 低保 or 特困 support below that standard gets the difference (补差), recomputed from the
-- per-person assistance level.
--
-- Facts: member.orphan_status (orphan | de_facto) is the status the county verifies (parents'
-- death, court declarations, 62号 situations; docs/household.md); support_mode institutional |
-- home chooses the rate for orphans. Decisions where the texts need reading:
--   * age: below orphan.age_limit (national 18; a province paying on during full-time school
--     sets a higher age);
--   * 补差 applies to 事实无人抚养儿童 only, as the 62号 text says, against the support the
--     same decision gives the child (特困, or the 低保 household he is counted in); an orphan's
--     allowance (54号) is paid in full (no national text reduces it; a minor choosing the
--     orphan track is not 特困, 认定办法 Art. 9, orphan_track);
--   * per-person 低保 level = the household's 低保 amount / its counted members, half-up to
--     the fen;
--   * an unknown support_mode leaves an orphan's amount undetermined only where the two
--     rates differ (issue 13 point 8).
-- Program "orphan": members = children eligible; amount = sum of allowances (fen / month).

local R = {} -- this file's reasons (sa.reason_def at the end of the file)

local REF_54 = "国务院办公厅关于加强孤儿保障工作的意见（国办发〔2010〕54号）"
local REF_62 = "关于进一步加强事实无人抚养儿童保障工作的意见（民发〔2019〕62号）"
local REF_62_1, REF_62_31 = REF_62 .. "一", REF_62 .. "三（一）"
local param = rules.param

-- The monthly allowance rate (fen) of child m: returns fen | nil, params, missing.
function rules.orphan_rate(m, h, ctx)
  if m.orphan_status == "de_facto" then
    local v = param(ctx, "orphan.subsidy_de_facto")
    if v ~= nil then return v, { "orphan.subsidy_de_facto" }, {} end
    v = param(ctx, "orphan.subsidy_scattered")
    if v ~= nil then return v, { "orphan.subsidy_scattered" }, {} end
    return nil, {}, { "param:orphan.subsidy_scattered" }
  end
  local sc, inst = param(ctx, "orphan.subsidy_scattered"), param(ctx, "orphan.subsidy_institutional")
  local mode = m.support_mode
  if mode == "institutional" then
    if inst == nil then return nil, {}, { "param:orphan.subsidy_institutional" } end
    return inst, { "orphan.subsidy_institutional" }, {}
  end
  if mode == "home" then
    if sc == nil then return nil, {}, { "param:orphan.subsidy_scattered" } end
    return sc, { "orphan.subsidy_scattered" }, {}
  end
  -- care unknown: decided when both rates are the same
  if sc ~= nil and inst ~= nil and sc == inst then
    return sc, { "orphan.subsidy_scattered", "orphan.subsidy_institutional" }, {}
  end
  local miss = { "member:" .. m.id .. ".support_mode" }
  if sc == nil then miss[#miss + 1] = "param:orphan.subsidy_scattered" end
  if inst == nil then miss[#miss + 1] = "param:orphan.subsidy_institutional" end
  return nil, {}, miss
end

-- Basic-living support the same decision already gives child m (fen / month), for 补差:
-- his own 特困 amount, or the per-person 低保 level of the household he is counted in. Returns
-- fen (0 when none) | nil, reason-kind ("tekun" | "dibao" | nil), missing.
function rules.orphan_other_support(m, h, ctx, F)
  local R = F.results or {}
  local tk = R.tekun
  -- a 特困 or 低保 decision still open could give him support: the difference waits for it
  for _, name in ipairs({ "tekun", "dibao" }) do
    local p = R[name]
    if p and p.status == "undetermined" then return nil, name, p.missing end
  end
  if tk and tk.status == "eligible" then
    for i = 1, #tk.members do
      if tk.members[i] == m.id then
        if tk.person_amounts and tk.person_amounts[m.id] ~= nil then return tk.person_amounts[m.id], "tekun", {} end
        return nil, "tekun", tk.missing
      end
    end
  end
  local db = R.dibao
  if db and db.status == "eligible" then
    for i = 1, #db.members do
      if db.members[i] == m.id then
        if db.amount == nil then return nil, "dibao", db.missing end
        return sa.div(db.amount, #db.members, "half_up_fen"), "dibao", {}
      end
    end
  end
  return 0, nil, {}
end

local EMPTY = sa.EMPTY

function rules.orphan(h, ctx, F)
  local limit = param(ctx, "orphan.age_limit")
  local hm = h.members
  local none = true -- no member with an orphan status (the usual household): nothing to build
  for i = 1, #hm do
    if hm[i].orphan_status ~= nil then none = false; break end
  end
  if none then
    return { program = "orphan", status = "ineligible", members = EMPTY, reasons = sa.reason(R["orphan.none"]),
             missing = EMPTY }
  end
  local prog = { program = "orphan", members = {}, reasons = {}, missing = {} }
  local reasons = prog.reasons
  local total, any, unknown = 0, false, false
  for i = 1, #hm do
    local m = hm[i]
    local st = m.orphan_status
    if st ~= nil then
      local id, age = m.id, rules.age(m, ctx)
      if limit == nil then
        unknown = true
        rules.missing_add(prog.missing, "param:orphan.age_limit")
      elseif age >= limit then
        reasons[#reasons + 1] = sa.reason(st == "orphan" and R["orphan.age#54"] or R["orphan.age#62"], id, age)
      else
        any = true
        prog.members[#prog.members + 1] = id
        reasons[#reasons + 1] = sa.reason(st == "orphan" and R["orphan.orphan"] or R["orphan.de_facto"], id, age)
        local rate, rp, rm = rules.orphan_rate(m, h, ctx)
        local other, kind, om = 0, nil, {}
        if st == "de_facto" then other, kind, om = rules.orphan_other_support(m, h, ctx, F) end
        if rate == nil or other == nil then
          total = nil
          rules.missing_add(prog.missing, rm)
          rules.missing_add(prog.missing, om)
        else
          local pay = rate - other
          if pay < 0 then pay = 0 end
          if kind ~= nil then
            reasons[#reasons + 1] = sa.reason_p(R["orphan.top_up"], rp, id, kind,
              kind == "tekun" and "特困人员救助供养金" or "最低生活保障金", other, rate, pay)
          else
            reasons[#reasons + 1] = sa.reason_p(st == "orphan" and R["orphan.amount#54"] or R["orphan.amount#62"], rp, id, rate)
          end
          if total ~= nil then total = total + pay end
        end
      end
    end
  end
  if any then
    prog.status = "eligible"
    prog.amount = total
  elseif unknown then
    prog.status = "undetermined"
  else
    prog.status = "ineligible"
    if #reasons == 0 then
      reasons[1] = sa.reason(R["orphan.none"])
    end
  end
  return prog
end

-- ------------------------------------------------------------------ reasons
-- Declared once when the pack loads (docs/rule-authors.md §5.5); sa.reason(R[...], ...) writes
-- one per household into libsa's buffer with its arguments, in the order of the names listed.
R["orphan.none"] = sa.reason_def("orphan.none", "家庭中无孤儿或事实无人抚养儿童",
  "no orphan or child de facto without a carer in the household",
  REF_54 .. "；" .. REF_62_1, nil, nil)
R["orphan.age#54"] = sa.reason_def("orphan.age",
  "{id}：{age} 周岁，已超过孤儿、事实无人抚养儿童基本生活保障年龄", "{id}: aged {age}, past the allowance age",
  REF_54, { "orphan.age_limit" }, { "id", "age" })
R["orphan.age#62"] = sa.reason_def("orphan.age",
  "{id}：{age} 周岁，已超过孤儿、事实无人抚养儿童基本生活保障年龄", "{id}: aged {age}, past the allowance age",
  REF_62_1, { "orphan.age_limit" }, { "id", "age" })
R["orphan.orphan"] = sa.reason_def("orphan.orphan", "{id}：孤儿（父母双亡或查找不到生父母的未成年人）",
  "{id}: an orphan (a minor who lost both parents or whose parents cannot be found)", REF_54, { "orphan.age_limit" },
  { "id", "age" })
R["orphan.de_facto"] = sa.reason_def("orphan.de_facto", "{id}：事实无人抚养儿童", "{id}: a child de facto without a carer",
  REF_62_1, { "orphan.age_limit" }, { "id", "age" })
R["orphan.top_up"] = sa.reason_def("orphan.top_up",
  "{id}：已享受{kind_zh} {other:yuan} 元，按基本生活保障标准 {rate:yuan} 元补差发放 {pay:yuan} 元",
  "{id}: already receives {kind} {other:yuan}; the difference to the allowance {rate:yuan} is paid, {pay:yuan}",
  REF_62_31, nil, { "id", "kind", "kind_zh", "other", "rate", "pay" })
R["orphan.amount#54"] = sa.reason_def("orphan.amount", "{id}：基本生活保障标准 {rate:yuan} 元/月",
  "{id}: allowance {rate:yuan} a month", REF_54, nil, { "id", "rate" })
R["orphan.amount#62"] = sa.reason_def("orphan.amount", "{id}：基本生活保障标准 {rate:yuan} 元/月",
  "{id}: allowance {rate:yuan} a month", REF_62_31, nil, { "id", "rate" })
