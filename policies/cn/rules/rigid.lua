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
--   Art. 14 in force 2025-01-01: before that date the program is ineligible, with a reason.
-- Household income for the ratio = 12 × the monthly counted income (the schema's income is a
-- monthly average over the county's assessment period).
-- "超出" is read as strictly greater (spending / income > ratio): cn sets
-- rigid.spending_ratio_inclusive false. Some local pages say "达到" (≥, the Guangdong page of
-- policy-facts §6.4); such a pack sets it true.

local REF = "刚性支出困难家庭认定办法（民政部，2025-01-01施行）"
local IN_FORCE = 20250101
-- built once (no string work per household; docs/performance.md)
local REF_4_1, REF_4_2, REF_4_45, REF_10, REF_14 = REF .. "第四条（一）", REF .. "第四条（二）",
  REF .. "第四条（四）、第五条", REF .. "第十条", REF .. "第十四条"
local PROGRAMS = { "tekun", "dibao", "edge" }
local PROGRAM_ZH = { tekun = "特困人员救助供养", dibao = "最低生活保障", edge = "低保边缘家庭" }
local EXCLUDED_ID = { tekun = "rigid.excluded.tekun", dibao = "rigid.excluded.dibao", edge = "rigid.excluded.edge" }
local param = rules.param

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
  if rs == nil then return nil, { "household.rigid_spending" } end
  return rs.medical + rs.education + rs.rehabilitation + rs.other, {}
end

local function prior_status(F, name)
  local p = F.results and F.results[name]
  if p == nil then return nil end
  return p.status
end

function rules.rigid(h, ctx, F)
  local prog = { program = "rigid", members = {}, reasons = {}, missing = {} }
  if ctx.as_of < IN_FORCE then
    prog.status = "ineligible"
    prog.reasons[1] = rules.reason("rigid.not_in_force",
      "刚性支出困难家庭认定办法自2025年1月1日起施行，此前无全国认定依据",
      "the national rigid-spending rules apply from 2025-01-01", REF_14)
    return prog
  end
  if F.n == 0 and #F.membership_missing == 0 then
    prog.status = "ineligible"
    prog.reasons[1] = rules.reason("rigid.no_members", "没有计入的共同生活家庭成员", "no counted household member",
      "最低生活保障审核确认办法（民发〔2021〕57号）第七条")
    return prog
  end
  -- (一) not 低保, 特困 or 边缘: current enrolment, or found eligible in this evaluation
  local enr = h.enrolments or {}
  local items = {}
  for i = 1, 3 do
    local name = PROGRAMS[i]
    local st = prior_status(F, name)
    if enr[name] or st == "eligible" then
      items[#items + 1] = { false, rules.reason(EXCLUDED_ID[name],
        "已纳入或符合{zh}，不再认定为刚性支出困难家庭",
        "enrolled in or qualifying for {name}; not a rigid-spending household", REF_4_1, nil,
        { zh = PROGRAM_ZH[name], name = name }), {} }
    elseif st == "undetermined" then
      items[#items + 1] = { nil, nil, F.results[name].missing }
    end
  end
  -- (二) per-capita annual income below last year's per-capita disposable income
  local di = param(ctx, "stats.disposable_income")
  local total, n = F.total_income, F.n
  if di == nil or total == nil then
    local miss = {}
    if di == nil then miss[1] = "param:stats.disposable_income" end
    rules.missing_add(miss, F.income_missing)
    items[#items + 1] = { nil, nil, miss }
  else
    local ok = total * 12 < di * n
    local params = { "stats.disposable_income" }
    rules.missing_add(params, F.income_params)
    items[#items + 1] = { ok, rules.reason(ok and "rigid.income.below" or "rigid.income.not_below",
      ok and "家庭年收入 {annual:yuan} 元，人均低于上年度当地居民人均可支配收入 {di:yuan} 元"
        or "家庭年收入 {annual:yuan} 元，人均不低于上年度当地居民人均可支配收入 {di:yuan} 元",
      ok and "household annual income {annual:yuan}: per-capita below last year's per-capita disposable income {di:yuan}"
        or "household annual income {annual:yuan}: per-capita not below last year's per-capita disposable income {di:yuan}",
      REF_4_2, params, ctx.explain ~= false and { annual = total * 12, di = di } or nil), {} }
  end
  -- (四) rigid spending share of household income
  local ratio = param(ctx, "rigid.spending_ratio")
  local spending, sm = rules.rigid_spending_total(h, ctx, F)
  if ratio == nil or spending == nil or total == nil then
    local miss = {}
    if ratio == nil then miss[1] = "param:rigid.spending_ratio" end
    rules.missing_add(miss, sm)
    rules.missing_add(miss, F.income_missing)
    items[#items + 1] = { nil, nil, miss }
  else
    local annual = total * 12
    local ok = rules.rigid_ratio_exceeded(spending, annual, ratio)
    -- the spending test's distance; not being 低保/特困/边缘, income and assets are further conditions
    prog.margin = rules.margin_above("rigid.spending", spending, ratio.num, ratio.den, annual,
      sa.param("rigid.spending_ratio_inclusive") == true, true)
    items[#items + 1] = { ok, rules.reason(ok and "rigid.spending.exceeds" or "rigid.spending.within",
      ok and "前12个月刚性支出 {spending:yuan} 元，占家庭年收入 {annual:yuan} 元的比例超出当地规定"
        or "前12个月刚性支出 {spending:yuan} 元，占家庭年收入 {annual:yuan} 元的比例未超出当地规定",
      ok and "rigid spending of the last 12 months {spending:yuan} is above the local share of household annual income {annual:yuan}"
        or "rigid spending of the last 12 months {spending:yuan} is not above the local share of household annual income {annual:yuan}",
      REF_4_45, { "rigid.spending_ratio", "rigid.spending_ratio_inclusive" },
      ctx.explain ~= false and { spending = spending, annual = annual } or nil), {} }
  end
  -- (三) assets
  local av, ar, am = rules.assets_ok(h, ctx, "rigid", F)
  items[#items + 1] = { av, ar, am }
  local v, reasons, missing = rules.all_of(items)
  prog.reasons = reasons
  if v == false then prog.status = "ineligible"; return prog end
  if v == nil then prog.status = "undetermined"; prog.missing = missing; return prog end
  prog.status = "eligible"
  local counted = F.counted
  for i = 1, #counted do prog.members[i] = counted[i].id end
  local months = param(ctx, "rigid.valid_months")
  if months ~= nil then
    prog.reasons[#prog.reasons + 1] = rules.reason("rigid.valid",
      "认定有效期 {months} 个月，期满需重新申请",
      "recognition valid for {months} months; a new application is needed after that",
      REF_10, { "rigid.valid_months" }, { months = months })
  end
  return prog
end
