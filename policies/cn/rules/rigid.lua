-- rules/rigid.lua — 刚性支出困难家庭 (households in difficulty from rigid spending).
--
-- 刚性支出困难家庭认定办法（民政部，2025-01-01施行）:
--   Art. 4 all of: (一) not on 低保 or 特困 and not recognised as 低保边缘;
--          (二) per-capita income below last year's local per-capita disposable income;
--          (三) assets within the local rules (may follow the 边缘 rules or be looser);
--          (四) rigid spending of the 12 months before the application, as a share of total
--               household income, 超出 (exceeds) the local ratio;
--   Art. 5 rigid spending: living, medical (out of pocket), education, rehabilitation, other;
--   Art. 10 validity normally ≤ 12 months (rigid.valid_months);
--   Art. 14 in force 2025-01-01. Before it, from 2023-10-19, 国办发〔2023〕39号 already defined
--           the category with the same three tests (income below last year's per-capita
--           disposable income, assets, necessary spending above a locally set share of
--           household income) and left the figures to localities: those dates are decided by
--           the same test, undetermined only where a figure is missing. Before 2023-10-19 no
--           national text defines the category: ineligible (`rigid.not_in_force`).
-- Household income for the ratio = 12 × the monthly counted income (the schema's income is a
-- monthly average over the county's assessment period).
-- "超出" is read as strictly greater (spending / income > ratio): cn sets
-- rigid.spending_ratio_inclusive false. Some local pages say "达到" (≥, the Guangdong page of
-- policy-facts §6.4); such a pack sets it true.
-- Two tests (内蒙古 2024, rigid.spending_ratio_medical_test): medical + other (accident) above
-- rigid.spending_ratio_medical also qualifies; either test suffices (docs/national-pack.md §1).
-- Bounds (issue 13 point 8): no rigid spending is a share of 0, above no local ratio (a ratio
-- is a positive share), so the household is ineligible whatever the ratio; spending with no
-- household income is above every ratio; a household with no income is below every published
-- disposable income. In those cases the unknown figure is named "not needed for this outcome".

local R = {} -- this file's reasons (sa.reason_def at the end of the file)
-- reasons citing the 办法 (from 2025-01-01) and 国办发〔2023〕39号 (before it): RL[key], RE[key]
local RL, RE = {}, {}

local REF = "刚性支出困难家庭认定办法（民政部，2025-01-01施行）"
local IN_FORCE = 20250101
local IN_FORCE_39 = 20231019
local REF_39 = "国务院办公厅转发民政部等单位《关于加强低收入人口动态监测做好分层分类社会救助工作的意见》（国办发〔2023〕39号）"
-- built once (no string work per household; docs/performance.md)
local REF_4_1, REF_4_2, REF_4_45, REF_10, REF_14 = REF .. "第四条（一）", REF .. "第四条（二）",
  REF .. "第四条（四）、第五条", REF .. "第十条", REF .. "第十四条"
local REF_39_ALL = REF_39 .. "二（二）（刚性支出困难家庭）"
local PROGRAMS = { "tekun", "dibao", "edge" }
local PROGRAM_ZH = { tekun = "特困人员救助供养", dibao = "最低生活保障", edge = "低保边缘家庭" }
local EXCLUDED_ID = { tekun = "rigid.excluded.tekun", dibao = "rigid.excluded.dibao", edge = "rigid.excluded.edge" }
local param = rules.param
local EMPTY = sa.EMPTY
local M_SPENDING, M_RATIO = { "household.rigid_spending" }, { "param:rigid.spending_ratio" }
local P_RATIO = { "rigid.spending_ratio" }

-- a ∪ b without duplicates (rules.missing_add's order): one of them as it is when the other is
-- empty (read-only then), else a fresh list
local function union(a, b)
  if #b == 0 then return a end
  if #a == 0 then return b end
  return rules.missing_add(rules.missing_add({}, a), b)
end

-- spending (fen, 12 months) over annual_income (fen) above ratio? Exact: s × den > num × income;
-- at or above (≥) where rigid.spending_ratio_inclusive is true (广东 "达到").
function rules.rigid_ratio_exceeded(spending, annual_income, ratio)
  local lhs, rhs = spending * ratio.den, ratio.num * annual_income
  if sa.param("rigid.spending_ratio_inclusive") then return lhs >= rhs end -- (no ctx here: signature kept)
  return lhs > rhs
end

-- Total rigid spending of the last 12 months (fen), or nil when unknown.
function rules.rigid_spending_total(h, ctx, F)
  local rs = h.rigid_spending
  if rs == nil then return nil, M_SPENDING end
  return rs.medical + rs.education + rs.rehabilitation + rs.other, EMPTY
end

local function prior_status(F, name)
  local p = F.results and F.results[name]
  if p == nil then return nil end
  return p.status
end

-- (一) not on program `name` (tekun, dibao, edge): enrolled or found eligible in this evaluation
-- is false; undetermined there is unknown; otherwise (true, nil, nil), which changes nothing in
-- an AND. D: RL or RE (the reference of the date).
local function not_on(D, F, enr, name)
  local st = prior_status(F, name)
  if enr[name] or st == "eligible" then
    return false, sa.reason(D[EXCLUDED_ID[name]], PROGRAM_ZH[name], name), EMPTY
  elseif st == "undetermined" then
    return nil, nil, F.results[name].missing
  end
  return true, nil, nil
end

function rules.rigid(h, ctx, F)
  local prog = { program = "rigid", members = EMPTY, missing = EMPTY }
  if ctx.as_of < IN_FORCE_39 then
    prog.status = "ineligible"
    prog.reasons = sa.reason(R["rigid.not_in_force"])
    return prog
  end
  local D = ctx.as_of < IN_FORCE and RE or RL -- 国办发〔2023〕39号 and local rules, before the 办法
  if F.n == 0 and #F.membership_missing == 0 then
    prog.status = "ineligible"
    prog.reasons = sa.reason(R["rigid.no_members"])
    return prog
  end
  -- (一) not 低保, 特困 or 边缘: current enrolment, or found eligible in this evaluation
  local enr = h.enrolments or EMPTY
  local v1, r1, m1 = not_on(D, F, enr, "tekun")
  local v2, r2, m2 = not_on(D, F, enr, "dibao")
  local v3, r3, m3 = not_on(D, F, enr, "edge")
  -- (二) per-capita annual income below last year's per-capita disposable income
  local di, dmiss, dparams = rules.disposable_income(h, ctx, "rigid.income_basis")
  local total, n = F.total_income, F.n
  local bv, br, bm
  if total == nil and di ~= nil then
    bv, br = rules.income_bounds(F, function(t) return t * 12 < di * n end)
  end
  if bv ~= nil then
    bm = EMPTY
  elseif total == nil then
    bm = union(dmiss, F.income_missing)
  elseif di == nil and total == 0 then
    -- no income: below any published (positive) figure
    bv, br, bm = true, sa.reason_p(D["rigid.income.none"], F.income_params, table.concat(dmiss, ", ")), EMPTY
  elseif di == nil then
    bm = dmiss
  else
    bv = total * 12 < di * n
    br = sa.reason_p(bv and D["rigid.income.below"] or D["rigid.income.not_below"], union(dparams, F.income_params),
      total * 12, di)
    bm = EMPTY
  end
  -- (四) rigid spending share of household income. Where a pack sets
  -- rigid.spending_ratio_medical_test (内蒙古 2024), a second test also qualifies: medical + other
  -- spending (that pack's only other kind is 意外事件) above rigid.spending_ratio_medical.
  -- Either suffices; an unknown second test matters only where the first fails.
  local ratio = param(ctx, "rigid.spending_ratio")
  local spending, sm = rules.rigid_spending_total(h, ctx, F)
  local ratio_miss = M_RATIO
  -- the second test's pieces, read only where the first test does not decide
  local ready, mtest, mratio, mspend, mmiss = false, false, nil, nil, nil
  local setup, second, either -- closures made only where the spending test needs them
  if spending ~= nil and spending ~= 0 and total ~= 0 then
    function setup()
      if ready then return end
      ready = true
      mspend = h.rigid_spending.medical + h.rigid_spending.other
      if mspend == 0 then return end -- a share of 0 exceeds no ratio: the second test is not needed
      mtest = param(ctx, "rigid.spending_ratio_medical_test")
      if mtest == false then return end
      mratio = param(ctx, "rigid.spending_ratio_medical")
      mmiss = {}
      if mtest == nil then mmiss[1] = "param:rigid.spending_ratio_medical_test" end
      if mratio == nil then mmiss[#mmiss + 1] = "param:rigid.spending_ratio_medical" end
    end
    -- the second test at annual income `annual` (> 0): true | false | nil (unknown)
    function second(annual)
      setup()
      if mtest == false then return false end
      if mratio == nil then return nil end
      if not rules.rigid_ratio_exceeded(mspend, annual, mratio) then return false end
      if mtest == nil then return nil end
      return true
    end
    function either(t)
      local annual = t * 12
      if rules.rigid_ratio_exceeded(spending, annual, ratio) then return true end
      return second(annual)
    end
  end
  local sv, sr, sx = nil, nil, EMPTY -- the spending test (sx: its missing names)
  if spending == nil then
    local miss = rules.missing_add({}, sm)
    if ratio == nil then rules.missing_add(miss, ratio_miss) end
    sx = miss
  elseif spending == 0 then
    sv, sr = false, sa.reason_p(D["rigid.spending.none"], ratio ~= nil and P_RATIO or nil)
  elseif total == nil and ratio ~= nil and F.total_lo ~= nil and F.total_lo > 0
    and rules.income_bounds(F, either) ~= nil then
    sv, sr = rules.income_bounds(F, either)
  elseif total == nil then
    local miss = rules.missing_add({}, F.income_missing)
    if ratio == nil then rules.missing_add(miss, ratio_miss) end
    setup()
    rules.missing_add(miss, mmiss)
    sx = miss
  elseif total == 0 then
    sv, sr = true, sa.reason(D["rigid.spending.no_income"], spending)
  else
    local annual = total * 12
    local ok
    if ratio ~= nil then ok = rules.rigid_ratio_exceeded(spending, annual, ratio) end
    if not ok then setup() end
    if ok then
      sv, sr = true, sa.reason(D["rigid.spending.exceeds"], spending, annual)
    elseif mtest == false then
      if ok == nil then
        sx = ratio_miss
      else
        sv, sr = false, sa.reason(D["rigid.spending.within"], spending, annual)
      end
    else
      local m = second(annual)
      if m and ok == nil then
        sv, sr = true, sa.reason(D["rigid.spending.medical_exceeds#ratio_unknown"], spending, mspend, annual)
      elseif m then
        sv, sr = true, sa.reason(D["rigid.spending.medical_exceeds"], spending, mspend, annual)
      elseif m == false and ok == false and mtest == nil then
        -- below the second ratio too: whether the second test applies is not needed
        sv, sr = false, sa.reason(D["rigid.spending.both_within#test_unknown"], spending, mspend, annual)
      elseif m == false and ok == false then
        sv, sr = false, sa.reason(D["rigid.spending.both_within"], spending, mspend, annual)
      else
        local miss = {}
        if ok == nil then rules.missing_add(miss, ratio_miss) end
        if m == nil then rules.missing_add(miss, mmiss) end
        sx = miss
      end
    end
    -- the spending test's distance (one test only); not being 低保/特困/边缘, income and assets
    -- are further conditions
    if ok ~= nil and param(ctx, "rigid.spending_ratio_medical_test") == false then
      prog.margin = rules.margin_above("rigid.spending", spending, ratio.num, ratio.den, annual,
        sa.param("rigid.spending_ratio_inclusive") == true, true)
    end
  end
  -- (三) assets
  local av, ar, am = rules.assets_ok(h, ctx, "rigid", F)
  local v, reasons, missing = rules.all3(v1, r1, m1, v2, r2, m2, v3, r3, m3, bv, br, bm, sv, sr, sx, av, ar, am)
  prog.reasons = reasons
  if v == false then prog.status = "ineligible"; return prog end
  if v == nil then prog.status = "undetermined"; prog.missing = missing; return prog end
  prog.status = "eligible"
  local counted, members = F.counted, {}
  for i = 1, #counted do members[i] = counted[i].id end
  prog.members = members
  local months = param(ctx, "rigid.valid_months")
  if months ~= nil then
    prog.reasons = sa.reasons(reasons, sa.reason(R["rigid.valid"], months))
  end
  return prog
end

-- ------------------------------------------------------------------ reasons
-- Declared once when the pack loads (docs/rule-authors.md §5.5); sa.reason(R[...], ...) writes
-- one per household into libsa's buffer with its arguments, in the order of the names listed.
R["rigid.not_in_force"] = sa.reason_def("rigid.not_in_force", "刚性支出困难家庭由国办发〔2023〕39号（2023年10月19日）首次在全国层面界定，此前无全国认定依据",
  "rigid-spending households were first defined nationally by 国办发〔2023〕39号 (2023-10-19)",
  REF_39 .. "；" .. REF_14, nil, nil)
R["rigid.no_members"] = sa.reason_def("rigid.no_members", "没有计入的共同生活家庭成员",
  "no counted household member",
  "最低生活保障审核确认办法（民发〔2021〕57号）第七条", nil, nil)
R["rigid.valid"] = sa.reason_def("rigid.valid", "认定有效期 {months} 个月，期满需重新申请",
  "recognition valid for {months} months; a new application is needed after that",
  REF_10, { "rigid.valid_months" }, { "months" })

-- The reasons whose reference follows the date: RL cites the 办法, RE 国办发〔2023〕39号.
local function def2(key, id, zh, en, refs, params, args)
  RL[key] = sa.reason_def(id, zh, en, refs[1], params, args)
  RE[key] = sa.reason_def(id, zh, en, REF_39_ALL, params, args)
end
for _, name in ipairs(PROGRAMS) do
  def2(EXCLUDED_ID[name], EXCLUDED_ID[name], "已纳入或符合{zh}，不再认定为刚性支出困难家庭",
    "enrolled in or qualifying for {name}; not a rigid-spending household", { REF_4_1 }, nil, { "zh", "name" })
end
def2("rigid.income.none", "rigid.income.none",
  "家庭无计入收入，人均收入低于任何上年度居民人均可支配收入；未知的 {names} 不影响本结论",
  "no counted household income: below any per-capita disposable income; the unknown {names} is not needed for this outcome",
  { REF_4_2 }, nil, { "names" })
def2("rigid.income.below", "rigid.income.below",
  "家庭年收入 {annual:yuan} 元，人均低于上年度当地居民人均可支配收入 {di:yuan} 元",
  "household annual income {annual:yuan}: per-capita below last year's per-capita disposable income {di:yuan}",
  { REF_4_2 }, nil, { "annual", "di" })
def2("rigid.income.not_below", "rigid.income.not_below",
  "家庭年收入 {annual:yuan} 元，人均不低于上年度当地居民人均可支配收入 {di:yuan} 元",
  "household annual income {annual:yuan}: per-capita not below last year's per-capita disposable income {di:yuan}",
  { REF_4_2 }, nil, { "annual", "di" })
def2("rigid.spending.none", "rigid.spending.none",
  "前12个月无刚性支出，占家庭收入比例为0，不超出任何当地规定比例（当地比例不影响本结论）",
  "no rigid spending in the last 12 months: a share of 0 is above no local ratio (the local ratio is not needed for this outcome)",
  { REF_4_45 }, nil, nil)
def2("rigid.spending.no_income", "rigid.spending.no_income",
  "前12个月刚性支出 {spending:yuan} 元，家庭无计入收入，占比超出任何当地规定比例（当地比例不影响本结论）",
  "rigid spending of the last 12 months {spending:yuan} with no household income: above any local ratio (the local ratio is not needed for this outcome)",
  { REF_4_45 }, nil, { "spending" })
def2("rigid.spending.exceeds", "rigid.spending.exceeds",
  "前12个月刚性支出 {spending:yuan} 元，占家庭年收入 {annual:yuan} 元的比例超出当地规定",
  "rigid spending of the last 12 months {spending:yuan} is above the local share of household annual income {annual:yuan}",
  { REF_4_45 }, { "rigid.spending_ratio", "rigid.spending_ratio_inclusive" }, { "spending", "annual" })
def2("rigid.spending.within", "rigid.spending.within",
  "前12个月刚性支出 {spending:yuan} 元，占家庭年收入 {annual:yuan} 元的比例未超出当地规定",
  "rigid spending of the last 12 months {spending:yuan} is not above the local share of household annual income {annual:yuan}",
  { REF_4_45 }, { "rigid.spending_ratio", "rigid.spending_ratio_inclusive" }, { "spending", "annual" })
def2("rigid.spending.medical_exceeds#ratio_unknown", "rigid.spending.medical_exceeds",
  "前12个月医疗和意外事件刚性支出 {medical:yuan} 元，占家庭年收入 {annual:yuan} 元的比例超出当地规定（未知的 rigid.spending_ratio 不影响本结论）",
  "medical and accident rigid spending of the last 12 months {medical:yuan} is above the local share of household annual income {annual:yuan} (the unknown rigid.spending_ratio is not needed for this outcome)",
  { REF_4_45 }, { "rigid.spending_ratio_medical", "rigid.spending_ratio_medical_test", "rigid.spending_ratio_inclusive" },
  { "spending", "medical", "annual" })
def2("rigid.spending.medical_exceeds", "rigid.spending.medical_exceeds",
  "前12个月医疗和意外事件刚性支出 {medical:yuan} 元，占家庭年收入 {annual:yuan} 元的比例超出当地规定",
  "medical and accident rigid spending of the last 12 months {medical:yuan} is above the local share of household annual income {annual:yuan}",
  { REF_4_45 }, { "rigid.spending_ratio_medical", "rigid.spending_ratio_medical_test", "rigid.spending_ratio_inclusive" },
  { "spending", "medical", "annual" })
def2("rigid.spending.both_within#test_unknown", "rigid.spending.both_within",
  "前12个月刚性支出 {spending:yuan} 元、其中医疗和意外事件支出 {medical:yuan} 元，占家庭年收入 {annual:yuan} 元的比例均未超出当地规定（未知的 rigid.spending_ratio_medical_test 不影响本结论）",
  "rigid spending of the last 12 months {spending:yuan}, of which medical and accident {medical:yuan}: neither share of household annual income {annual:yuan} is above the local ratio (the unknown rigid.spending_ratio_medical_test is not needed for this outcome)",
  { REF_4_45 }, { "rigid.spending_ratio", "rigid.spending_ratio_medical", "rigid.spending_ratio_inclusive" },
  { "spending", "medical", "annual" })
def2("rigid.spending.both_within", "rigid.spending.both_within",
  "前12个月刚性支出 {spending:yuan} 元、其中医疗和意外事件支出 {medical:yuan} 元，占家庭年收入 {annual:yuan} 元的比例均未超出当地规定",
  "rigid spending of the last 12 months {spending:yuan}, of which medical and accident {medical:yuan}: neither share of household annual income {annual:yuan} is above the local ratio",
  { REF_4_45 }, { "rigid.spending_ratio", "rigid.spending_ratio_medical", "rigid.spending_ratio_medical_test",
  "rigid.spending_ratio_inclusive" }, { "spending", "medical", "annual" })
