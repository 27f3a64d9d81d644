-- rules/dibao.lua — 最低生活保障 (dibao): the household test, the amount, 分类施保 supplements
-- and 单人保 (members covered on their own).
--
-- 社会救助暂行办法 Art. 9, 12; 最低生活保障审核确认办法（民发〔2021〕57号）Art. 7 (members),
-- 8 (separate application), 13 (income), 14 (assets), 23 (amount: the gap, or tiers), 27
-- (extra protection, the hook of local 分类施保); 关于进一步做好最低生活保障等社会救助兜底工作的
-- 通知（民政部等，2022）一(一) and 一(四) (单人户).

local R = {} -- this file's reasons (sa.reason_def at the end of the file)

local REF = "最低生活保障审核确认办法（民发〔2021〕57号）"
local REF_2022 = "关于进一步做好最低生活保障等社会救助兜底工作的通知（民政部 中央农办 财政部 国家乡村振兴局，2022）"

-- references built once (no string work per household; docs/performance.md)
local REF_7, REF_8, REF_8_2, REF_27 = REF .. "第七条", REF .. "第八条", REF .. "第八条第二款",
  REF .. "第二十七条；社会救助暂行办法 第十二条第二款"
local REF_INCOME_BELOW = REF .. "第十三条、第二十三条；社会救助暂行办法 第九条"
local REF_INCOME_NOT_BELOW = REF .. "第十三条；社会救助暂行办法 第九条"
local REF_23, REF_23_GAP = REF .. "第二十三条", REF .. "第二十三条；社会救助暂行办法 第十二条"
local REF_2022_1_1 = REF_2022 .. "一（一）"
local REF_SINGLE_SEVERE = REF .. "第八条（一）；" .. REF_2022 .. "一（四）"
local REF_SINGLE_ILL = REF .. "第八条（二）；" .. REF_2022 .. "一（四）"
local param = rules.param
local EMPTY = sa.EMPTY

-- a ∪ b of two lists without duplicates (rules.missing_add's order): one of them as it is
-- when the other is empty (both read-only then), else a fresh list
local function union(a, b)
  if #b == 0 then return a end
  if #a == 0 then return b end
  return rules.missing_add(rules.missing_add({}, a), b)
end

local function counted_ids(F)
  local ids, counted = {}, F.counted
  for i = 1, #counted do ids[i] = counted[i].id end
  return ids
end

-- ------------------------------------------------------------------ household test

-- Per-capita counted income below the standard (tested exactly as total < standard × n: a
-- per-capita income equal to the standard is NOT below it), and assets within the dibao
-- limits. Returns v, reasons, missing.
function rules.dibao_household(h, ctx, F)
  if F.n == 0 and #F.membership_missing == 0 then
    return false, sa.reason(R["dibao.no_members"]), EMPTY
  end
  local S, total, n = F.standard, F.total_income, F.n
  local iv, ir, im -- the income test
  if S ~= nil and total == nil then
    local line = S * n
    iv, ir = rules.income_bounds(F, function(t) return t < line end)
  end
  if iv ~= nil then
    im = EMPTY
  elseif S == nil or total == nil then
    ir, im = nil, union(F.standard_missing, F.income_missing)
  else
    local params = union(F.standard_params, F.income_params)
    local line = S * n
    -- the income test's distance to its threshold; assets are a further condition
    F.dibao_margin = rules.margin_below("dibao.income", total, 1, 1, line, S, n, true)
    iv = total < line
    ir = sa.reason_p(iv and R["dibao.income.below"] or R["dibao.income.not_below"], params, total, S, n, line)
    im = EMPTY
  end
  local av, ar, am = rules.assets_ok(h, ctx, "dibao", F)
  return rules.all3(iv, ir, im, av, ar, am)
end

-- ------------------------------------------------------------------ amounts

-- 分类施保 supplement of member m (fen / month): supplement.elderly (age ≥
-- supplement.elderly_age), .minor (under 18), .severe_disability (rules.severe_disability),
-- .serious_illness, each a share of the standard S; only the highest applies (就高不叠加,
-- policy-facts §9.1); all off unless a pack sets them. Returns fen, reason|nil, missing.
local SUPPLEMENT_ZH = { elderly = "老年人", minor = "未成年人", severe_disability = "重度残疾人", serious_illness = "重病患者" }
local SUPPLEMENT_ID = { elderly = "dibao.supplement.elderly", minor = "dibao.supplement.minor",
  severe_disability = "dibao.supplement.severe_disability", serious_illness = "dibao.supplement.serious_illness" }
local SUPPLEMENT_PNAME = { elderly = "supplement.elderly", minor = "supplement.minor",
  severe_disability = "supplement.severe_disability", serious_illness = "supplement.serious_illness" }

function rules.dibao_supplement(m, h, ctx, F, S)
  -- all off unless a pack sets one (the usual case: nothing to compute)
  local p_elderly, p_minor = param(ctx, "supplement.elderly"), param(ctx, "supplement.minor")
  local p_severe, p_ill = param(ctx, "supplement.severe_disability"), param(ctx, "supplement.serious_illness")
  if p_elderly == nil and p_minor == nil and p_severe == nil and p_ill == nil then return 0, nil, EMPTY end
  local missing = {}
  local age = F.by_id[m.id].age
  local best, best_kind = 0, nil
  local function consider(kind, share, applies)
    if share == nil or not applies then return end
    local amount = sa.mul(S, share, share.rounding or "half_up_fen")
    if amount > best then best, best_kind = amount, kind end
  end
  if p_elderly ~= nil then
    local min_age = param(ctx, "supplement.elderly_age")
    if min_age == nil then
      missing[#missing + 1] = "param:supplement.elderly_age"
    else
      consider("elderly", p_elderly, age >= min_age)
    end
  end
  consider("minor", p_minor, age < 18)
  consider("severe_disability", p_severe, rules.severe_disability(m.disability))
  consider("serious_illness", p_ill, m.serious_illness == true)
  if best_kind == nil then return 0, nil, missing end
  local params = { SUPPLEMENT_PNAME[best_kind] }
  if best_kind == "elderly" then params[#params + 1] = "supplement.elderly_age" end
  return best, sa.reason_p(R[SUPPLEMENT_ID[best_kind]], params, m.id, best_kind, SUPPLEMENT_ZH[best_kind], best), missing
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
local TIER_PNAME = { A = "dibao.rural_tier_a", B = "dibao.rural_tier_b", C = "dibao.rural_tier_c" }
function rules.dibao_payment(h, ctx, F, S, members, income)
  local n = #members
  local who_zh, who_en = "家庭月收入", "household income"
  if n == 1 and F.n > 1 then who_zh, who_en = "本人月收入", "own income" end
  local reasons, missing = {}, {}
  local base
  -- A pack's deliberate null (value: null: the method in force is unknown) leaves a rural
  -- amount undetermined; it is never read as the gap method (issue 13 point 7).
  local method = param(ctx, "dibao.rural_payment")
  if h.area == "rural" and method == nil then
    missing[#missing + 1] = "param:dibao.rural_payment"
  elseif h.area == "rural" and method == "tiered" then
    local tier = h.dibao_tier
    if tier == nil then
      missing[#missing + 1] = "household.dibao_tier"
    else
      local name = TIER_PNAME[tier] or "dibao.rural_tier_" .. string.lower(tier)
      local pay = param(ctx, name)
      if pay == nil then
        missing[#missing + 1] = "param:" .. name
      else
        base = pay * n
        reasons[#reasons + 1] = sa.reason_p(R["dibao.amount.tiered"], { "dibao.rural_payment", name }, tier, pay, n, base)
      end
    end
  else
    local gap = S * n - income
    if gap < 0 then gap = 0 end
    base = gap
    reasons[#reasons + 1] = sa.reason_p(R["dibao.amount.gap"], rules.missing_add({ "dibao.rural_payment" }, F.standard_params),
      S, n, who_zh, who_en, income, gap)
    local fs = param(ctx, "dibao.floor_share")
    if fs ~= nil then
      local floor = sa.mul(S, fs, fs.rounding or "half_up_fen")
      if gap < floor * n then
        base = floor * n
        reasons[#reasons + 1] = sa.reason(R["dibao.amount.floor"], floor, n, base)
      end
    end
  end
  local extra = 0
  for i = 1, #members do
    local sup, r, miss = rules.dibao_supplement(members[i], h, ctx, F, S)
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
  local out = nil -- a list once there is a candidate (sa.EMPTY otherwise)
  local S = F.standard
  local counted = F.counted
  for ci = 1, #counted do
    local m = counted[ci]
    local info = F.by_id[m.id]
    local severe = rules.severe_disability(m.disability)
    local ill = m.serious_illness == true
    local own = F.income[m.id]
    local ov, orr, om -- own income below the standard
    if own == nil or S == nil then
      om = rules.missing_add(rules.missing_add({}, own == nil and { "member:" .. m.id .. ".income" } or EMPTY), F.standard_missing)
    else
      if own < 0 then own = 0 end
      ov = own < S
      orr = sa.reason_p(ov and R["dibao.single.own_below"] or R["dibao.single.own_not_below"],
        F.standard_params, m.id, own, S)
      om = EMPTY
    end
    local done = false
    if severe or ill then
      -- (a) the household is 低保边缘 (or the rest of it within the local multiple)
      local hv, hr, hm = nil, nil, EMPTY
      local total = F.total_income
      local single_mult = param(ctx, "dibao.single_household_multiple")
      if single_mult ~= nil then
        if total == nil or S == nil or own == nil then
          hm = rules.missing_add(rules.missing_add({}, F.income_missing), F.standard_missing)
        else
          local rest = total - own
          if rest < 0 then rest = 0 end
          local others = F.n - 1
          hv = others == 0 or rest * single_mult.den < single_mult.num * S * others
          hr = sa.reason(hv and R["dibao.single.rest_within"] or R["dibao.single.rest_above"])
        end
      else
        local em = param(ctx, "edge.income_multiple")
        if em == nil or total == nil or S == nil then
          local miss = {}
          if em == nil then miss[1] = "param:edge.income_multiple" end
          rules.missing_add(miss, F.income_missing)
          rules.missing_add(miss, F.standard_missing)
          hm = miss
        else
          hv = total * em.den < em.num * S * F.n
          hr = sa.reason(hv and R["dibao.single.edge_household"] or R["dibao.single.not_edge_household"])
        end
      end
      local av, ar, am = rules.assets_ok(h, ctx, "edge", F)
      local basis = sa.reason(severe and R["dibao.single.severe_disability"] or R["dibao.single.serious_illness"], m.id)
      local v, reasons, missing = rules.all3(true, basis, EMPTY, hv, hr, hm, av, ar, am, ov, orr, om)
      out = out or {}
      out[#out + 1] = { m = m, basis = "art8", v = v, reasons = reasons, missing = missing }
      done = v == true
    end
    if not done and severe and info.age >= 18 then
      -- (b) adult unemployed severely disabled person
      local emp = m.employment
      local ev, er, em
      if emp == nil then
        em = { "member:" .. m.id .. ".employment" }
      else
        ev = emp == "unemployed" or emp == "none"
        er, em = sa.reason(ev and R["dibao.single.adult_jobless"] or R["dibao.single.adult_employed"], m.id), EMPTY
      end
      local av, ar, am = rules.assets_ok(h, ctx, "dibao", F)
      local basis = sa.reason(R["dibao.single.adult_severe"], m.id)
      local v, reasons, missing = rules.all3(true, basis, EMPTY, ev, er, em, av, ar, am, ov, orr, om)
      -- keep the better answer of (a) and (b) for this member
      out = out or {}
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
  return out or EMPTY
end

-- ------------------------------------------------------------------ the program

-- F.dibao / F.dibao_reasons / F.dibao_missing hold the household test (rules.evaluate computes
-- it first: 特困 Art. 8 (二) needs it); F.dibao_single lists members covered alone.
function rules.dibao(h, ctx, F)
  local prog = { program = "dibao", members = EMPTY, reasons = {}, missing = {} }
  local hv, hr, hm = F.dibao, F.dibao_reasons, F.dibao_missing
  if F.dibao_missing == nil then -- not computed yet (a test's missing is always a list)
    hv, hr, hm = rules.dibao_household(h, ctx, F)
    F.dibao, F.dibao_reasons, F.dibao_missing = hv, hr, hm
  end
  F.dibao_single = EMPTY -- members covered alone: a list once there is one
  prog.margin = F.dibao_margin
  local reasons = prog.reasons
  rules.reasons_add(reasons, rules.membership_reasons(F)) -- a handle, or a list (old contract)
  local mr = rules.income_reasons(h, ctx, F)
  for i = 1, #mr do reasons[#reasons + 1] = mr[i] end
  rules.reasons_add(reasons, hr) -- a handle (rules.all3), or a list from an older override
  if hv == true then
    prog.status = "eligible"
    prog.members = counted_ids(F)
    if F.total_income == nil then
      -- eligible at every bound of the income, but the amount differs between them
      rules.missing_add(prog.missing, F.income_missing)
      return prog
    end
    local amount, pr, missing = rules.dibao_payment(h, ctx, F, F.standard, F.counted, F.total_income)
    for i = 1, #pr do reasons[#reasons + 1] = pr[i] end
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
  local covered, unknown = nil, false
  for _, c in ipairs(rules.dibao_single_candidates(h, ctx, F)) do
    if c.v == true then
      covered = covered or {}
      covered[#covered + 1] = c
      rules.reasons_add(prog.reasons, c.reasons)
    elseif c.v == nil then
      unknown = true
      rules.missing_add(prog.missing, c.missing)
    end
  end
  if covered == nil then
    prog.status = unknown and "undetermined" or "ineligible"
    return prog
  end
  prog.status = "eligible"
  prog.members = {}
  F.dibao_single = {}
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

-- ------------------------------------------------------------------ reasons
-- Declared once when the pack loads (docs/rule-authors.md §5.5); sa.reason(R[...], ...) writes
-- one per household into libsa's buffer with its arguments, in the order of the names listed.
R["dibao.no_members"] = sa.reason_def("dibao.no_members", "没有计入的共同生活家庭成员",
  "no counted household member",
  REF_7, nil, nil)
R["dibao.amount.floor"] = sa.reason_def("dibao.amount.floor", "差额低于保底额，按每人 {floor:yuan} 元 × {n} 人 = {base:yuan} 元发放",
  "gap below the floor; paid {floor:yuan} x {n} = {base:yuan}",
  "地方低保资金管理办法（保底发放）", { "dibao.floor_share" }, { "floor", "n", "base" })
R["dibao.single.adult_severe"] = sa.reason_def("dibao.single.adult_severe", "{id}：成年无业重度残疾人可以参照“单人户”申请低保",
  "{id}: an adult unemployed severely disabled person may apply as a single-person household",
  REF_2022_1_1, nil, { "id" })
R["dibao.income.below"] = sa.reason_def("dibao.income.below",
  "家庭月收入合计 {total:yuan} 元，低保标准 {S:yuan} 元 × {n} 人 = {line:yuan} 元：人均收入低于低保标准",
  "household monthly income {total:yuan}; standard {S:yuan} x {n} persons = {line:yuan}: per-capita income below the standard",
  REF_INCOME_BELOW, nil, { "total", "S", "n", "line" })
R["dibao.income.not_below"] = sa.reason_def("dibao.income.not_below",
  "家庭月收入合计 {total:yuan} 元，低保标准 {S:yuan} 元 × {n} 人 = {line:yuan} 元：人均收入不低于低保标准",
  "household monthly income {total:yuan}; standard {S:yuan} x {n} persons = {line:yuan}: per-capita income not below the standard",
  REF_INCOME_NOT_BELOW, nil, { "total", "S", "n", "line" })
for _, kind in ipairs({ "elderly", "minor", "severe_disability", "serious_illness" }) do
  R[SUPPLEMENT_ID[kind]] = sa.reason_def(SUPPLEMENT_ID[kind],
    "{id}：分类施保（{kind_zh}）加发 {amount:yuan} 元（就高不叠加）",
    "{id}: category supplement ({kind}) {amount:yuan} (highest one only)",
    REF_27, nil, { "id", "kind", "kind_zh", "amount" })
end
R["dibao.amount.tiered"] = sa.reason_def("dibao.amount.tiered",
  "农村低保分档计发：{tier}档 {pay:yuan} 元 × {n} 人 = {base:yuan} 元",
  "rural tiered payment: tier {tier} {pay:yuan} x {n} = {base:yuan}",
  REF_23, nil, { "tier", "pay", "n", "base" })
R["dibao.amount.gap"] = sa.reason_def("dibao.amount.gap",
  "差额计发：低保标准 {S:yuan} 元 × {n} 人 − {who_zh} {income:yuan} 元 = {gap:yuan} 元",
  "gap payment: standard {S:yuan} x {n} - {who_en} {income:yuan} = {gap:yuan}",
  REF_23_GAP, nil, { "S", "n", "who_zh", "who_en", "income", "gap" })
R["dibao.single.own_below"] = sa.reason_def("dibao.single.own_below",
  "{id}：本人收入 {own:yuan} 元低于低保标准 {S:yuan} 元", "{id}: own income {own:yuan} below the standard {S:yuan}",
  REF_8, nil, { "id", "own", "S" })
R["dibao.single.own_not_below"] = sa.reason_def("dibao.single.own_not_below",
  "{id}：本人收入 {own:yuan} 元不低于低保标准 {S:yuan} 元", "{id}: own income {own:yuan} not below the standard {S:yuan}",
  REF_8, nil, { "id", "own", "S" })
R["dibao.single.rest_within"] = sa.reason_def("dibao.single.rest_within",
  "其余家庭成员人均收入低于低保标准的规定倍数",
  "the other members' per-capita income is below the local multiple of the standard",
  "地方单人保规定（如辽民发〔2020〕36号）", { "dibao.single_household_multiple" })
R["dibao.single.rest_above"] = sa.reason_def("dibao.single.rest_above",
  "其余家庭成员人均收入不低于低保标准的规定倍数",
  "the other members' per-capita income is not below the local multiple of the standard",
  "地方单人保规定（如辽民发〔2020〕36号）", { "dibao.single_household_multiple" })
R["dibao.single.edge_household"] = sa.reason_def("dibao.single.edge_household",
  "家庭人均收入低于低保边缘家庭收入标准（低保标准的规定倍数）", "household per-capita income below the dibao-edge line",
  REF_8_2, { "edge.income_multiple" })
R["dibao.single.not_edge_household"] = sa.reason_def("dibao.single.not_edge_household",
  "家庭人均收入不低于低保边缘家庭收入标准（低保标准的规定倍数）", "household per-capita income not below the dibao-edge line",
  REF_8_2, { "edge.income_multiple" })
R["dibao.single.severe_disability"] = sa.reason_def("dibao.single.severe_disability",
  "{id}：低保边缘家庭中的重度残疾人（一、二级或三级智力、精神残疾），可单独申请",
  "{id}: severely disabled member of a dibao-edge household may apply alone", REF_SINGLE_SEVERE, nil, { "id" })
R["dibao.single.serious_illness"] = sa.reason_def("dibao.single.serious_illness",
  "{id}：低保边缘家庭中的重特大疾病患者，可单独申请",
  "{id}: seriously ill member of a dibao-edge household may apply alone", REF_SINGLE_ILL, nil, { "id" })
R["dibao.single.adult_jobless"] = sa.reason_def("dibao.single.adult_jobless", "{id}：成年无业重度残疾人",
  "{id}: adult severely disabled person, without work", REF_2022_1_1, nil, { "id" })
R["dibao.single.adult_employed"] = sa.reason_def("dibao.single.adult_employed", "{id}：成年有业重度残疾人",
  "{id}: adult severely disabled person, in work", REF_2022_1_1, nil, { "id" })
