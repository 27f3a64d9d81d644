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

local function reason(id, zh, en, ref, params)
  return { id = id, zh = zh, en = en, ref = ref or REF, params = params or {} }
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
  local kind_zh = hd.kind == "urgent" and "急难型" or "支出型"
  reasons[1] = reason("temporary.kind." .. hd.kind, "临时救助类型：" .. kind_zh, "temporary assistance type: " .. hd.kind, REF)

  -- mild emergency: small amount first
  local small = sa.param("temporary.small_amount_max")
  if hd.kind == "urgent" and hd.severity == "mild" then
    if small == nil then -- eligible (no means test); only the amount waits for the ceiling
      return { program = "temporary", status = "eligible", period = "once", members = members, reasons = reasons,
               missing = { "param:temporary.small_amount_max" } }
    end
    local amount = small
    if hd.spending ~= nil and hd.spending < small then amount = hd.spending end
    reasons[#reasons + 1] = reason("temporary.small_amount",
      "急难型（情况较轻）：小金额先行救助 " .. sa.yuan(amount) .. " 元，不超过 " .. sa.yuan(small) .. " 元，免于经济状况核对，事后补齐手续",
      "mild emergency: small amount paid first, " .. sa.yuan(amount) .. " (ceiling " .. sa.yuan(small) .. "), no means test, paperwork afterwards",
      REF .. "（先行救助）", { "temporary.small_amount_max" })
    reasons[#reasons + 1] = reason("temporary.approval.township", "审批：乡镇（街道）先行救助", "approval: the township pays first", REF_47 .. "；" .. REF)
    return { program = "temporary", status = "eligible", period = "once", amount = amount, parts = { first_help = amount },
             members = members, reasons = reasons, missing = {} }
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
      reasons[#reasons + 1] = reason("temporary.income.none",
        "家庭无计入收入，人均低于任何上年度人均可支配收入；未知的 " .. table.concat(dmiss, ", ") .. " 不影响本结论",
        "no counted household income: below any per-capita disposable income; the unknown " .. table.concat(dmiss, ", ") .. " is not needed for this outcome",
        REF .. "（支出型：原则上家庭人均可支配收入低于上年度当地居民人均可支配收入）")
    elseif di == nil then rules.missing_add(status_missing, dmiss) end
    if F.total_income == nil then rules.missing_add(status_missing, F.income_missing) end
    if di ~= nil and F.total_income ~= nil then
      local n = F.n > 0 and F.n or 1
      local ok = F.total_income * 12 < di * n
      reasons[#reasons + 1] = reason("temporary.income",
        "家庭年收入 " .. sa.yuan(F.total_income * 12) .. " 元，人均" .. (ok and "低于" or "不低于") .. "上年度人均可支配收入 " .. sa.yuan(di) .. " 元",
        "household annual income " .. sa.yuan(F.total_income * 12) .. ": per-capita " .. (ok and "below" or "not below") .. " last year's per-capita disposable income " .. sa.yuan(di),
        REF .. "（支出型：原则上家庭人均可支配收入低于上年度当地居民人均可支配收入）", dparams)
      if not ok then
        return { program = "temporary", status = "ineligible", period = "once", members = members, reasons = reasons, missing = {} }
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
  reasons[#reasons + 1] = reason("temporary.formula",
    "低保标准 " .. sa.yuan(S) .. " 元 × " .. persons .. " 人 × " .. used .. " 个月" ..
      (used ~= months and ("（困难 " .. months .. " 个月，按 " .. (mmin or 1) .. "–" .. mmax .. " 个月计）") or "") .. " = " .. sa.yuan(amount) .. " 元",
    "standard " .. sa.yuan(S) .. " x " .. persons .. " persons x " .. used .. " months" ..
      (used ~= months and (" (hardship " .. months .. " months, counted within " .. (mmin or 1) .. "-" .. mmax .. ")") or "") .. " = " .. sa.yuan(amount),
    REF .. "（分类分档，与低保标准挂钩）", params)

  if hd.kind == "urgent" then
    local k = sa.param("temporary.urgent_min_multiple")
    if k ~= nil and amount < S * k then
      amount = S * k
      reasons[#reasons + 1] = reason("temporary.urgent_floor",
        "急难型救助不低于 " .. k .. " 倍低保标准：" .. sa.yuan(amount) .. " 元",
        "urgent assistance is at least " .. k .. " x the standard: " .. sa.yuan(amount), REF, { "temporary.urgent_min_multiple" })
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
    reasons[#reasons + 1] = reason("temporary.cap",
      "单次救助上限 " .. cap .. " 倍低保标准（" .. sa.yuan(amount) .. " 元）；超出部分提交县级困难群众基本生活保障工作协调机制一事一议",
      "capped at " .. cap .. " x the standard (" .. sa.yuan(amount) .. "); the rest goes to the county coordination mechanism (case by case)",
      REF .. "（一事一议）", { "temporary.cap_multiple" })
  end
  local cap_amount = sa.param("temporary.cap_amount")
  if cap_amount ~= nil and amount > cap_amount then
    amount = cap_amount
    case_by_case = true
    reasons[#reasons + 1] = reason("temporary.cap_amount",
      "单次救助上限 " .. sa.yuan(cap_amount) .. " 元；超出部分提交县级困难群众基本生活保障工作协调机制一事一议",
      "capped at " .. sa.yuan(cap_amount) .. " per case; the rest goes to the county coordination mechanism (case by case)",
      REF .. "（一事一议）", { "temporary.cap_amount" })
  end
  if hd.spending ~= nil and amount > hd.spending then
    amount = hd.spending
    reasons[#reasons + 1] = reason("temporary.spending",
      "不超过实际困难支出 " .. sa.yuan(hd.spending) .. " 元", "not more than the stated spending " .. sa.yuan(hd.spending), REF)
  end
  local first = 0
  if hd.kind == "urgent" and small ~= nil then
    first = small < amount and small or amount
    reasons[#reasons + 1] = reason("temporary.first_help",
      "其中先行救助 " .. sa.yuan(first) .. " 元，其余经审批后发放", "of which " .. sa.yuan(first) .. " is paid first, the rest after approval",
      REF .. "（先行救助；一次审批、分阶段救助）", { "temporary.small_amount_max" })
  end
  local tk = sa.param("temporary.township_max_multiple")
  local who = "county"
  local tmax = sa.param("temporary.township_max_amount")
  if (tk ~= nil or tmax ~= nil) and (tk == nil or amount <= S * tk) and (tmax == nil or amount <= tmax)
    and not case_by_case then who = "township" end
  reasons[#reasons + 1] = reason("temporary.approval." .. (case_by_case and "case_by_case" or who),
    case_by_case and "审批：县级一事一议" or (who == "township" and "审批：在乡镇（街道）审批额度内，乡镇（街道）审批，报县级备案" or "审批：县级民政部门"),
    case_by_case and "approval: county, case by case" or (who == "township" and "approval: within the township's approval limit, the township or street office approves" or "approval: the county civil-affairs bureau"),
    REF_47 .. "；" .. REF, (tk ~= nil or tmax ~= nil) and { tk ~= nil and "temporary.township_max_multiple" or "temporary.township_max_amount" } or {})
  return { program = "temporary", status = "eligible", period = "once", amount = amount,
           parts = { first_help = first, rest = amount - first }, members = members, reasons = reasons, missing = {} }
end
