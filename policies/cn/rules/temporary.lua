-- rules/temporary.lua — 临时救助 (temporary assistance), 民发〔2018〕23号 and the local formulas
-- of policy-facts §7.2 (docs/services.md "Temporary assistance").
--
-- libsa calls rules.temporary(h, arg, ctx) after the tier decision, only for a household with
-- a `hardship` block (docs/household.md), and appends the program "temporary". Its amount is
-- ONE-OFF (fen per case), not monthly; parts: first_help (paid first) and rest.
--
--   urgent (急难型), severity mild: the small amount paid first (小金额先行救助):
--       min(spending, temporary.small_amount_max), or the ceiling when spending is not stated;
--       no means test (先行救助, paperwork afterwards); approved by the township.
--   urgent serious, and expense (支出型): standard × persons × months, where
--       standard = 低保标准 (temporary.basis: urban, or the household's area; unset = area),
--       persons  = hardship.persons, else the members counted in the household,
--       months   = hardship.months clamped to [temporary.months_min, temporary.months_max];
--     urgent: at least temporary.urgent_min_multiple × standard;
--     capped at temporary.cap_multiple × standard (支出型: temporary.expense_cap_multiple when
--     set) and at temporary.cap_amount yuan per case, the lower one, the rest going to 一事一议;
--     支出型 months clamp to temporary.expense_months_max when set;
--     never more than the stated spending (hardship.spending), when stated (libsa's choice);
--     expense only: per-capita income below last year's per-capita disposable income
--       (stats.disposable_income), assets as 低保 (民发〔2018〕23号: 支出型 follows the full procedure);
--     approval: township when amount ≤ temporary.township_max_multiple × standard and
--     ≤ temporary.township_max_amount (each where set), else county.
-- The program carries period = "once": the amount is paid once per case, never per month.
-- The 支出型 income test uses rules.disposable_income with temporary.income_basis.
-- A figure the formula needs with no value in force leaves the amount open (eligible, amount
-- nil, named in missing); an unknown of the 支出型 means test leaves the status open.

local REF = "民政部 财政部 关于进一步加强和改进临时救助工作的意见（民发〔2018〕23号）"
local REF_47 = "社会救助暂行办法 第四十七条至第四十九条"

local R = {} -- this file's reasons (sa.reason_def at the end of the file)
local EMPTY = sa.EMPTY
local REF_INCOME = REF .. "（支出型：原则上家庭人均可支配收入低于上年度当地居民人均可支配收入）"
local P_TOWNSHIP_MULTIPLE, P_TOWNSHIP_AMOUNT = { "temporary.township_max_multiple" }, { "temporary.township_max_amount" }

-- A number for a reason's template: integers as they are, anything else as its text (what `..`
-- printed).
local function num(x)
  if math.type(x) == "integer" then return x end
  return tostring(x)
end

local function undetermined(missing, reasons)
  return { program = "temporary", status = "undetermined", period = "once", members = {}, reasons = reasons, missing = missing }
end

function rules.temporary(h, arg, ctx)
  local hd = h.hardship
  if hd == nil then return {} end
  local reasons, missing = {}, {}
  local members = {}
  for _, m in ipairs(h.members) do members[#members + 1] = m.id end
  local kind_def = R["temporary.kind." .. hd.kind]
  if kind_def then
    reasons[1] = sa.reason(kind_def)
  else -- a kind a child pack added: the record form
    reasons[1] = rules.reason("temporary.kind." .. hd.kind, "临时救助类型：支出型",
      "temporary assistance type: " .. hd.kind, REF)
  end

  -- mild emergency: small amount first
  local small = sa.param("temporary.small_amount_max")
  if hd.kind == "urgent" and hd.severity == "mild" then
    if small == nil then -- eligible (no means test); only the amount waits for the ceiling
      return { program = "temporary", status = "eligible", period = "once", members = members, reasons = reasons,
               missing = { "param:temporary.small_amount_max" } }
    end
    local amount = small
    if hd.spending ~= nil and hd.spending < small then amount = hd.spending end
    reasons[#reasons + 1] = sa.reason(R["temporary.small_amount"], amount, small)
    reasons[#reasons + 1] = sa.reason(R["temporary.approval.township#first"])
    return { program = "temporary", status = "eligible", period = "once", amount = amount, parts = { first_help = amount },
             members = members, reasons = reasons, missing = EMPTY }
  end

  -- the standard
  local basis = sa.param("temporary.basis")
  local S, smiss, sparams
  if basis == "urban" then
    S, smiss, sparams = rules.standard(h, ctx, "urban")
  else
    S, smiss, sparams = rules.standard(h, ctx)
  end
  if S == nil then rules.missing_add(missing, smiss) end
  local F = rules.facts(h, ctx)
  local persons = hd.persons
  if persons == nil then persons = F.n > 0 and F.n or #h.members end
  local mmin, mmax = sa.param("temporary.months_min"), sa.param("temporary.months_max")
  local mmax_name = "temporary.months_max"
  if hd.kind == "expense" and sa.param("temporary.expense_months_max") ~= nil then
    mmax, mmax_name = sa.param("temporary.expense_months_max"), "temporary.expense_months_max"
  end
  if mmax == nil then missing[#missing + 1] = "param:" .. mmax_name end
  if hd.months == nil then missing[#missing + 1] = "household.hardship.months" end

  -- expense: means test. Unknowns of the means test leave the status open; unknowns of the
  -- formula only the amount (eligible, amount nil: issue 13 point 8).
  local status_missing = {}
  if hd.kind == "expense" then
    local di, dmiss, dparams = rules.disposable_income(h, ctx, "temporary.income_basis")
    if F.total_income == 0 and di == nil then -- no income: below any figure (issue 13 point 8)
      reasons[#reasons + 1] = sa.reason(R["temporary.income.none"], table.concat(dmiss, ", "))
    elseif di == nil then rules.missing_add(status_missing, dmiss) end
    if F.total_income == nil then rules.missing_add(status_missing, F.income_missing) end
    if di ~= nil and F.total_income ~= nil then
      local n = F.n > 0 and F.n or 1
      local ok = F.total_income * 12 < di * n
      reasons[#reasons + 1] = sa.reason_p(ok and R["temporary.income#below"] or R["temporary.income#not_below"], dparams,
        F.total_income * 12, di)
      if not ok then
        return { program = "temporary", status = "ineligible", period = "once", members = members, reasons = reasons, missing = EMPTY }
      end
    end
  end
  if #status_missing > 0 then
    return undetermined(rules.missing_add(status_missing, missing), reasons)
  end
  if #missing > 0 then
    return { program = "temporary", status = "eligible", period = "once", members = members, reasons = reasons,
             missing = missing }
  end

  local months = hd.months
  local used = months
  if used > mmax then used = mmax end
  if mmin ~= nil and used < mmin then used = mmin end
  local amount = S * persons * used
  local params = { mmax_name }
  for _, p in ipairs(sparams) do params[#params + 1] = p end
  if mmin ~= nil then params[#params + 1] = "temporary.months_min" end
  if used ~= months then
    reasons[#reasons + 1] = sa.reason_p(R["temporary.formula#clamped"], params, S, num(persons), num(used), amount,
      num(months), num(mmin or 1), num(mmax))
  else
    reasons[#reasons + 1] = sa.reason_p(R["temporary.formula"], params, S, num(persons), num(used), amount)
  end

  if hd.kind == "urgent" then
    local k = sa.param("temporary.urgent_min_multiple")
    if k ~= nil and amount < S * k then
      amount = S * k
      reasons[#reasons + 1] = sa.reason(R["temporary.urgent_floor"], num(k), amount)
    end
  end
  local case_by_case = false
  local cap = sa.param("temporary.cap_multiple")
  if hd.kind == "expense" and sa.param("temporary.expense_cap_multiple") ~= nil then
    cap = sa.param("temporary.expense_cap_multiple")
  end
  if cap ~= nil and amount > S * cap then
    amount = S * cap
    case_by_case = true
    reasons[#reasons + 1] = sa.reason(R["temporary.cap"], num(cap), amount)
  end
  local cap_amount = sa.param("temporary.cap_amount")
  if cap_amount ~= nil and amount > cap_amount then
    amount = cap_amount
    case_by_case = true
    reasons[#reasons + 1] = sa.reason(R["temporary.cap_amount"], cap_amount)
  end
  if hd.spending ~= nil and amount > hd.spending then
    amount = hd.spending
    reasons[#reasons + 1] = sa.reason(R["temporary.spending"], hd.spending)
  end
  local first = 0
  if hd.kind == "urgent" and small ~= nil then
    first = small < amount and small or amount
    reasons[#reasons + 1] = sa.reason(R["temporary.first_help"], first)
  end
  local tk = sa.param("temporary.township_max_multiple")
  local who = "county"
  local tmax = sa.param("temporary.township_max_amount")
  if (tk ~= nil or tmax ~= nil) and (tk == nil or amount <= S * tk) and (tmax == nil or amount <= tmax)
    and not case_by_case then who = "township" end
  reasons[#reasons + 1] = sa.reason_p(R["temporary.approval." .. (case_by_case and "case_by_case" or who)],
    (tk ~= nil or tmax ~= nil) and (tk ~= nil and P_TOWNSHIP_MULTIPLE or P_TOWNSHIP_AMOUNT) or nil)
  return { program = "temporary", status = "eligible", period = "once", amount = amount,
           parts = { first_help = first, rest = amount - first }, members = members, reasons = reasons, missing = EMPTY }
end

-- ------------------------------------------------------------------ reasons
-- Declared once when the pack loads (docs/rule-authors.md §5.5); sa.reason(R[...], ...) writes
-- one per household into libsa's buffer with its arguments, in the order of the names listed.
R["temporary.kind.urgent"] = sa.reason_def("temporary.kind.urgent", "临时救助类型：急难型",
  "temporary assistance type: urgent", REF, nil, nil)
R["temporary.kind.expense"] = sa.reason_def("temporary.kind.expense", "临时救助类型：支出型",
  "temporary assistance type: expense", REF, nil, nil)
R["temporary.small_amount"] = sa.reason_def("temporary.small_amount",
  "急难型（情况较轻）：小金额先行救助 {amount:yuan} 元，不超过 {small:yuan} 元，免于经济状况核对，事后补齐手续",
  "mild emergency: small amount paid first, {amount:yuan} (ceiling {small:yuan}), no means test, paperwork afterwards",
  REF .. "（先行救助）", { "temporary.small_amount_max" }, { "amount", "small" })
R["temporary.approval.township#first"] = sa.reason_def("temporary.approval.township", "审批：乡镇（街道）先行救助",
  "approval: the township pays first", REF_47 .. "；" .. REF, nil, nil)
R["temporary.income.none"] = sa.reason_def("temporary.income.none",
  "家庭无计入收入，人均低于任何上年度人均可支配收入；未知的 {names} 不影响本结论",
  "no counted household income: below any per-capita disposable income; the unknown {names} is not needed for this outcome",
  REF_INCOME, nil, { "names" })
R["temporary.income#below"] = sa.reason_def("temporary.income",
  "家庭年收入 {annual:yuan} 元，人均低于上年度人均可支配收入 {di:yuan} 元",
  "household annual income {annual:yuan}: per-capita below last year's per-capita disposable income {di:yuan}",
  REF_INCOME, nil, { "annual", "di" })
R["temporary.income#not_below"] = sa.reason_def("temporary.income",
  "家庭年收入 {annual:yuan} 元，人均不低于上年度人均可支配收入 {di:yuan} 元",
  "household annual income {annual:yuan}: per-capita not below last year's per-capita disposable income {di:yuan}",
  REF_INCOME, nil, { "annual", "di" })
R["temporary.formula"] = sa.reason_def("temporary.formula",
  "低保标准 {S:yuan} 元 × {persons} 人 × {used} 个月 = {amount:yuan} 元",
  "standard {S:yuan} x {persons} persons x {used} months = {amount:yuan}",
  REF .. "（分类分档，与低保标准挂钩）", nil, { "S", "persons", "used", "amount" })
R["temporary.formula#clamped"] = sa.reason_def("temporary.formula",
  "低保标准 {S:yuan} 元 × {persons} 人 × {used} 个月（困难 {months} 个月，按 {min}–{max} 个月计） = {amount:yuan} 元",
  "standard {S:yuan} x {persons} persons x {used} months (hardship {months} months, counted within {min}-{max}) = {amount:yuan}",
  REF .. "（分类分档，与低保标准挂钩）", nil, { "S", "persons", "used", "amount", "months", "min", "max" })
R["temporary.urgent_floor"] = sa.reason_def("temporary.urgent_floor",
  "急难型救助不低于 {k} 倍低保标准：{amount:yuan} 元", "urgent assistance is at least {k} x the standard: {amount:yuan}",
  REF, { "temporary.urgent_min_multiple" }, { "k", "amount" })
R["temporary.cap"] = sa.reason_def("temporary.cap",
  "单次救助上限 {cap} 倍低保标准（{amount:yuan} 元）；超出部分提交县级困难群众基本生活保障工作协调机制一事一议",
  "capped at {cap} x the standard ({amount:yuan}); the rest goes to the county coordination mechanism (case by case)",
  REF .. "（一事一议）", { "temporary.cap_multiple" }, { "cap", "amount" })
R["temporary.cap_amount"] = sa.reason_def("temporary.cap_amount",
  "单次救助上限 {cap:yuan} 元；超出部分提交县级困难群众基本生活保障工作协调机制一事一议",
  "capped at {cap:yuan} per case; the rest goes to the county coordination mechanism (case by case)",
  REF .. "（一事一议）", { "temporary.cap_amount" }, { "cap" })
R["temporary.spending"] = sa.reason_def("temporary.spending", "不超过实际困难支出 {spending:yuan} 元",
  "not more than the stated spending {spending:yuan}", REF, nil, { "spending" })
R["temporary.first_help"] = sa.reason_def("temporary.first_help", "其中先行救助 {first:yuan} 元，其余经审批后发放",
  "of which {first:yuan} is paid first, the rest after approval",
  REF .. "（先行救助；一次审批、分阶段救助）", { "temporary.small_amount_max" }, { "first" })
R["temporary.approval.case_by_case"] = sa.reason_def("temporary.approval.case_by_case", "审批：县级一事一议",
  "approval: county, case by case", REF_47 .. "；" .. REF, nil, nil)
R["temporary.approval.township"] = sa.reason_def("temporary.approval.township",
  "审批：在乡镇（街道）审批额度内，乡镇（街道）审批，报县级备案",
  "approval: within the township's approval limit, the township or street office approves", REF_47 .. "；" .. REF, nil, nil)
R["temporary.approval.county"] = sa.reason_def("temporary.approval.county", "审批：县级民政部门",
  "approval: the county civil-affairs bureau", REF_47 .. "；" .. REF, nil, nil)
