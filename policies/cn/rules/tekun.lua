-- rules/tekun.lua — 特困人员 (persons in extreme poverty), per person.
--
-- 特困人员认定办法（民发〔2021〕43号，2021-07-01施行）:
--   Art. 4  all three: no labour capacity, no source of living, no supporter or every supporter
--           unable to support;
--   Art. 5  no labour capacity: ≥ 60; < 16; intellectual / mental grade 1–3, physical 1–2,
--           visual 1 (hearing and speech are not listed);
--   Art. 6  no source of living: income below the local dibao standard (central basic pension,
--           social insurance, 优待抚恤金 and 高龄津贴 not counted) and assets within the local
--           特困 asset rules (Art. 7);
--   Art. 8  supporter unable: (一) 特困; (二) 低保 and ≥ 60; (三) ≥ 70 with own income below
--           last year's per-capita disposable income and assets within 低收入家庭 rules;
--           (四) severely disabled or intellectual / mental grade 3, same income and asset
--           test; (五) no civil capacity, declared missing or in prison, with assets within
--           低收入家庭 rules; (六) provincial cases (replace rules.supporter_unable);
--   Art. 9  a minor who chooses the orphan / 事实无人抚养儿童 track is not 特困;
--   Art. 22 self-care: 0 of 6 activities failed = self, 1–3 = partial, 4–6 = full;
--   Art. 24 (closing paragraph) a minor 特困 person keeps support to 18, and past 18 while in
--           compulsory education, 普通高中 or 中职.

local R = {} -- this file's reasons (sa.reason_def at the end of the file)

local REF = "特困人员认定办法（民发〔2021〕43号）"
-- references built once (no string work per household; docs/performance.md)
local REF_4_3, REF_5, REF_5_1, REF_5_2, REF_5_3 = REF .. "第四条（三）", REF .. "第五条", REF .. "第五条（一）",
  REF .. "第五条（二）", REF .. "第五条（三）"
local REF_6, REF_8, REF_9, REF_22, REF_24 = REF .. "第六条", REF .. "第八条", REF .. "第九条", REF .. "第二十二条",
  REF .. "第二十四条"
local REF_8_ = { ["（一）"] = REF .. "第八条（一）", ["（二）"] = REF .. "第八条（二）", ["（三）"] = REF .. "第八条（三）",
  ["（四）"] = REF .. "第八条（四）", ["（五）"] = REF .. "第八条（五）", [""] = REF_8 }
local REF_BASIC = "国发〔2016〕14号；" .. REF .. "第十九条"
local REF_CARE_HOME = REF .. "第二十二条；社会救助暂行办法 第十九条"
local param = rules.param
local EMPTY = sa.EMPTY

-- Append the names of src to dst (rules.missing_add), replacing the shared sa.EMPTY by a fresh
-- list the first time there is something to add. Returns dst.
local function add_missing(dst, src)
  if src == nil or src == EMPTY or #src == 0 then return dst end
  if dst == EMPTY then dst = {} end
  return rules.missing_add(dst, src)
end

-- age ≥ limit, nil when the age is unknown (a file-level function, not a closure per call)
local function at_least(age, limit)
  if age == nil then return nil end
  return age >= limit
end

local function in_list(list, x)
  for i = 1, #list do if list[i] == x then return true end end
  return false
end

-- ------------------------------------------------------------------ Art. 5 labour capacity

-- Disability that means no labour capacity (Art. 5 (三)).
-- Decision for `multiple` (多重残疾, graded by its most severe component): grade 1–2 counts,
-- as a severe disability; grade 3–4 does not (its components are unknown, and only
-- intellectual / mental grade 3 would qualify). A province may widen this (Art. 5 (四)).
function rules.tekun_disability(d)
  if d == nil then return false end
  local t, g = d.type, d.grade
  if t == "intellectual" or t == "mental" then return g <= 3 end
  if t == "physical" or t == "multiple" then return g <= 2 end
  if t == "visual" then return g == 1 end
  return false
end

-- Returns v, reason (v is true or false: age and disability are always known).
function rules.no_labour_capacity(m, h, ctx, F)
  local id = m.id
  local age = F.by_id[id].age
  if age >= 60 then
    return true, sa.reason(R["tekun.labour.elderly"], id)
  end
  if age < 16 then
    return true, sa.reason(R["tekun.labour.minor"], id)
  end
  if rules.tekun_disability(m.disability) then
    return true, sa.reason(R["tekun.labour.disability"], id)
  end
  return false, sa.reason(R["tekun.labour.able"], id)
end

-- Art. 24: a minor already 特困 keeps support to 18, and past 18 while in compulsory
-- education, 普通高中 (senior) or 中职 (vocational). "Already 特困" is read from the
-- household's enrolment (h.enrolments.tekun); the schema has no per-member enrolment, so a
-- household with another 特困 member also extends its 16–17-year-olds (limitation, noted in
-- docs/national-pack.md). Returns v, reason.
function rules.tekun_continues(m, h, ctx, F)
  if not (h.enrolments and h.enrolments.tekun) then return false end
  local age = F.by_id[m.id].age
  if age < 16 then return false end
  if age < 18 then
    return true, sa.reason(R["tekun.minor_to_18"], m.id)
  end
  local edu = m.education
  local lv = edu and edu.level
  if lv == "primary" or lv == "junior" or lv == "senior" or lv == "vocational" then
    return true, sa.reason(R["tekun.student_past_18"], m.id)
  end
  return false
end

-- ------------------------------------------------------------------ Art. 6 source of living

-- Own counted income below the household's dibao standard, and assets within 特困 limits.
-- Negative own income (transfers paid above income) counts as zero. Returns v, reasons,
-- missing, margin: the income test's distance to its threshold (rules/margin.lua), nil when
-- the income or the standard is unknown. Art. 6 (一) compares the person's OWN income with the
-- standard (not the household's total against standard × persons), so the margin's quantity
-- is the candidate's own monthly counted income (basis own_income; docs/decision.md).
function rules.tekun_no_living_source(m, h, ctx, F)
  local inc, miss, params = rules.counted_income(m, h, ctx, "tekun")
  local s = F.standard
  local iv, ir, im, margin
  if inc == nil or s == nil then
    im = rules.missing_add(rules.missing_add({}, miss), F.standard_missing)
  else
    if inc < 0 then inc = 0 end
    margin = rules.margin_below("tekun.income", inc, 1, 1, s, s, nil, true)
    if margin then margin.basis, margin.member = "own_income", m.id end
    local p = F.standard_params -- params ∪ the standard's (one of them as it is when the other is empty)
    if #params > 0 then p = rules.missing_add(rules.missing_add({}, params), F.standard_params) end
    iv = inc < s
    ir = sa.reason_p(iv and R["tekun.income.below"] or R["tekun.income.above"], p, m.id, inc, s)
  end
  local av, ar, am = rules.assets_ok(h, ctx, "tekun", F)
  local v, r, mm = rules.all3(iv, ir, im, av, ar, am)
  return v, r, mm, margin
end

-- ------------------------------------------------------------------ Art. 8 supporters

-- Own income below last year's per-capita disposable income: 12 × monthly < annual, or the
-- annual income itself when `annual` is true. The figure is chosen by rules.disposable_income
-- with tekun.income_basis (the household's area when unset). No income (≤ 0) is below any
-- published figure: decided without it (issue 13 point 8). Returns v, missing, params.
-- (The lists returned are read-only: copy them to extend them.)
local M_DI, P_DI = { "param:stats.disposable_income" }, { "stats.disposable_income" }
function rules.below_disposable_income(income, ctx, h, annual)
  local di, dmiss, dparams
  if h ~= nil then
    di, dmiss, dparams = rules.disposable_income(h, ctx, "tekun.income_basis")
  else
    di = param(ctx, "stats.disposable_income")
    dmiss, dparams = M_DI, P_DI
  end
  if income ~= nil and income <= 0 then return true, EMPTY, di ~= nil and dparams or EMPTY end
  if di == nil then return nil, dmiss, dparams end
  if income == nil then return nil, EMPTY, dparams end
  if annual then return income < di, EMPTY, dparams end
  return income * 12 < di, EMPTY, dparams
end

-- ------------------------------------------------------------------ who owes whom (民法典)

-- KIN[a][b]: what a person of relation b (towards the head) is to a person of relation a, or
-- nil when the two relations do not fix it. Presumptions (the schema states relations to the
-- head only): the head's spouse is the other parent of the head's children and the
-- grandparent of his grandchildren; the head's children are the parents of his grandchildren;
-- the head's parents are spouses and the parents of his siblings. In-laws have no duty.
local KIN = {
  head = { spouse = "spouse", child = "child", parent = "parent", grandchild = "grandchild",
           grandparent = "grandparent", sibling = "sibling" },
  spouse = { head = "spouse", child = "child", grandchild = "grandchild" },
  child = { head = "parent", spouse = "parent", child = "sibling", parent = "grandparent", grandchild = "child" },
  parent = { head = "child", sibling = "child", parent = "spouse", child = "grandchild", grandparent = "parent" },
  grandchild = { child = "parent", head = "grandparent", spouse = "grandparent", grandchild = "sibling" },
  grandparent = { parent = "child", head = "grandchild", sibling = "grandchild" },
  sibling = { head = "sibling", parent = "parent", sibling = "sibling", grandparent = "grandparent", child = nil },
}
local DUTY_REF = { spouse = "民法典 第一千零五十九条", parent = "民法典 第一千零六十七条",
  child = "民法典 第一千零六十七条", grandparent = "民法典 第一千零七十四条",
  grandchild = "民法典 第一千零七十四条", sibling = "民法典 第一千零七十五条" }

local function needs_parents(m, age)
  return age < 18 or m.able_to_work == false or rules.tekun_disability(m.disability)
end

-- Does a person who is `kin` (KIN) to candidate m (aged `age`) owe m support? Returns the
-- article or nil. Spouses (1059); parents owe a minor child or one who cannot live
-- independently, adult children owe their parents (1067); grandparents owe a minor grandchild
-- and grandchildren owe grandparents, when the generation between is dead or unable (1074);
-- an elder sibling owes a minor sibling when the parents are dead or unable (1075). The
-- conditional duties (1074, 1075) are listed with the others: the candidate has no able
-- supporter only when every one of them is unable, which is the same as "the nearer ones
-- unable, then the farther ones" (all must be unable either way). `s_age` (nil = unknown)
-- settles "elder" for 1075; the younger sibling's duty to an elder who raised him needs facts
-- the schema does not have (an outside supporter states it with `supports`).
function rules.owes_support(kin, m, age, s_age)
  if kin == "spouse" or kin == "child" or kin == "grandchild" then return DUTY_REF[kin] end
  if kin == "parent" then
    if needs_parents(m, age) then return DUTY_REF.parent end
    return nil
  end
  if kin == "grandparent" then
    if age < 18 then return DUTY_REF.grandparent end
    return nil
  end
  if kin == "sibling" then
    if age < 18 and (s_age == nil or s_age > age) then return DUTY_REF.sibling end
    return nil
  end
  return nil
end

-- Is the outside supporter s (h.supporters[i], counted from 1) a legal supporter of candidate
-- m? `supports` lists whom he supports; without it his relation decides (rules.owes_support).
function rules.supports_candidate(s, m, h, ctx, F)
  if s.supports ~= nil and next(s.supports) ~= nil then return s.supports[m.id] == true end
  local kin = (KIN[m.relation] or {})[s.relation]
  if kin == nil then return false end
  local s_age = s.birth and sa.age(s.birth, ctx.as_of) or nil
  return rules.owes_support(kin, m, F.by_id[m.id].age, s_age) ~= nil
end

-- Is the outside supporter s (h.supporters[i + 1]; i counts from 0) unable to support?
-- Returns v, reason, missing. A supporter under 18 is not a legal supporter (民法典 Art. 1067
-- puts the duty on adult children) and counts as unable. His income is monthly (`income`) or
-- annual (`income_annual`); Art. 8 compares it by year.
function rules.supporter_unable(s, i, h, ctx, F)
  local age, age_miss = nil, EMPTY
  if s.birth ~= nil then age = sa.age(s.birth, ctx.as_of) else age_miss = { "supporter:" .. i .. ".birth" } end
  if age ~= nil and age < 18 then
    return true, sa.reason(R["tekun.supporter.minor"], i), EMPTY
  end
  local assets_v = s.assets_within_low_income_limits
  local assets_miss = assets_v == nil and { "supporter:" .. i .. ".assets_within_low_income_limits" } or EMPTY
  local s_income, s_annual = s.income, false
  if s.income_annual ~= nil then s_income, s_annual = s.income_annual, true end
  local inc_v, inc_miss, inc_params = rules.below_disposable_income(s_income, ctx, h, s_annual)
  if s_income == nil then inc_miss = rules.missing_add({ "supporter:" .. i .. ".income" }, inc_miss) end
  local severe = rules.severe_disability(s.disability)
  local custody = s.no_civil_capacity == true or s.missing == true or s.in_prison == true
  -- Art. 8's cases, in order; a case that does not apply is (false, nil, nil), which changes
  -- nothing in an OR
  local v2, r2, m2 = false, nil, nil
  if s.dibao == true then
    v2, r2, m2 = at_least(age, 60), sa.reason(R["tekun.supporter.dibao60#s"], i), age_miss
  end
  local v3, _, m3 = rules.all3(at_least(age, 70), nil, age_miss, inc_v, nil, inc_miss, assets_v, nil, assets_miss)
  local v4, r4, m4 = false, nil, nil
  if severe then
    v4, _, m4 = rules.all3(inc_v, nil, inc_miss, assets_v, nil, assets_miss)
    r4 = sa.reason_p(R["tekun.supporter.disabled#s"], inc_params, i)
  end
  local v5, r5, m5 = false, nil, nil
  if custody then
    v5, r5, m5 = assets_v, sa.reason(R["tekun.supporter.custody#s"], i), assets_miss
  end
  local v, _, missing, first = rules.any3(s.tekun == true, sa.reason(R["tekun.supporter.tekun#s"], i), EMPTY,
    v2, r2, m2, v3, sa.reason_p(R["tekun.supporter.elderly70#s"], inc_params, i), m3, v4, r4, m4, v5, r5, m5)
  if v == true then return true, first, EMPTY end
  if v == false then
    return false, sa.reason_p(R["tekun.supporter.able#s"], inc_params, i), EMPTY
  end
  return nil, nil, missing
end

-- Persons listed in the household (members, whether or not Art. 7 counts them: a child living
-- apart is still a legal supporter) who owe member m support (rules.owes_support on KIN).
-- Only persons 18 or older owe support. Members in prison or declared missing are included:
-- Art. 8 (五) decides whether they can support.
function rules.household_supporters(m, h, ctx, F)
  local age = F.by_id[m.id].age
  local row = KIN[m.relation]
  local out, n = {}, 0
  if row == nil then return out end
  local members, id = F.members, m.id
  for i = 1, #members do
    local info = members[i]
    local s = info.m
    local kin = row[s.relation]
    if kin ~= nil and s.id ~= id and info.age >= 18 and rules.owes_support(kin, m, age, info.age) then
      n = n + 1
      out[n] = s
    end
  end
  return out
end

-- Is household member sm unable to support? Art. 8 applied to what the household states:
-- (一) sm is himself 特困 in this decision (F.tekun_state[id]: true, nil = undetermined);
-- (二) sm is aged 60+ and in the 低保 household this decision finds (F.tekun_D: the household
--      without the members found 特困; or enrolled in 低保 and counted in it) — a member left
--      out of the 低保 household is no 低保 recipient;
-- (三) and (四) with sm's counted income (Art. 6 definition) and the household's 边缘
-- (低收入家庭) asset verdict; (五) for members in prison or declared missing.
-- Returns v, reason, missing.
function rules.member_supporter_unable(sm, m, h, ctx, F)
  local id = sm.id
  local age = F.by_id[id].age
  local av, _, am = rules.assets_ok(h, ctx, "edge", F)
  -- Art. 8's cases, in order; a case that does not apply is (false, nil, nil), which changes
  -- nothing in an OR
  local v1, r1, m1 = false, nil, nil
  local state = F.tekun_state
  local st = state and state[id]
  if st == true or st == "maybe" then
    v1, r1, m1 = st == true or nil, sa.reason(R["tekun.supporter.tekun"], id),
      F.tekun_missing and F.tekun_missing[id] or EMPTY
  end
  local v2, r2, m2, v3, r3, m3, v4, r4, m4, v5, r5, m5 = false, nil, nil, false, nil, nil, false, nil, nil, false, nil, nil
  local ex = sm.excluded
  if ex == "prison" or ex == "missing" then
    v2, r2, m2 = av, sa.reason(R["tekun.supporter.custody"], id), am
  else
    if age >= 60 then
      local D = F.tekun_D or F
      local info = D.by_id[id]
      local dv, dm
      if info == nil or info.counted == false then
        dv, dm = false, EMPTY
      elseif h.enrolments and h.enrolments.dibao and info.counted == true then
        dv, dm = true, EMPTY
      elseif info.counted == nil then
        dv, dm = nil, info.missing
      else
        dv, dm = D.dibao, D.dibao_missing or EMPTY
      end
      v3, r3, m3 = dv, sa.reason(R["tekun.supporter.dibao60"], id), dm
    end
    local severe = rules.severe_disability(sm.disability)
    if age >= 70 or severe then
      local inc, im = rules.counted_income(sm, h, ctx, "tekun")
      local bv, bm, bp = rules.below_disposable_income(inc, ctx, h)
      local v, _, miss = rules.all3(bv, nil, bv == nil and rules.missing_add(rules.missing_add({}, im), bm) or EMPTY,
        av, nil, am)
      if age >= 70 then
        v4, r4, m4 = v, sa.reason_p(R["tekun.supporter.elderly70"], bp, id), miss
      end
      if severe then
        v5, r5, m5 = v, sa.reason_p(R["tekun.supporter.disabled"], bp, id), miss
      end
    end
  end
  local v, _, missing, first = rules.any3(v1, r1, m1, v2, r2, m2, v3, r3, m3, v4, r4, m4, v5, r5, m5)
  if v == true then return true, first, EMPTY end
  if v == false then
    return false, sa.reason(R["tekun.supporter.able"], id), EMPTY
  end
  return nil, nil, missing
end

-- Art. 4 (三): no supporter, or every supporter unable. The candidate's own legal supporters
-- only: outside supporters that support him (rules.supports_candidate) and persons listed in
-- the household who owe him support (rules.household_supporters). Returns v, reasons, missing.
-- One supporter's answer (v, r, miss) added to the AND over the supporters, kept in locals
-- (no table per supporter): any false, any unknown, every reason, the false ones' reasons,
-- the unknowns' names. rules.all3 decides the same way for a fixed number of conditions.
local function and_add(anyf, anyn, rall, rfalse, names, v, r, miss)
  if v == false then
    anyf = true
    if r then rfalse = rfalse and sa.reasons(rfalse, r) or r end
  elseif v == nil then
    anyn = true
    names = rules.missing_add(names or {}, miss)
  end
  if r then rall = rall and sa.reasons(rall, r) or r end
  return anyf, anyn, rall, rfalse, names
end

function rules.tekun_no_supporter(m, h, ctx, F)
  local n, anyf, anyn, rall, rfalse, names = 0, false, false, nil, nil, nil
  local sup = h.supporters
  if sup then
    for i = 1, #sup do
      if rules.supports_candidate(sup[i], m, h, ctx, F) then
        local v, r, miss = rules.supporter_unable(sup[i], i - 1, h, ctx, F)
        n = n + 1
        anyf, anyn, rall, rfalse, names = and_add(anyf, anyn, rall, rfalse, names, v, r, miss)
      end
    end
  end
  local hs = rules.household_supporters(m, h, ctx, F)
  for i = 1, #hs do
    local v, r, miss = rules.member_supporter_unable(hs[i], m, h, ctx, F)
    n = n + 1
    anyf, anyn, rall, rfalse, names = and_add(anyf, anyn, rall, rfalse, names, v, r, miss)
  end
  if n == 0 then
    return true, sa.reason(R["tekun.supporter.none"], m.id), EMPTY
  end
  if anyf then
    if anyn then rfalse = sa.reasons(rfalse, rules.not_needed_names(names)) end
    return false, rfalse, EMPTY
  end
  if anyn then return nil, rall, names end
  return true, rall, EMPTY
end

-- ------------------------------------------------------------------ amounts

-- Self-care level from the six activities (Art. 21, 22). Returns level | nil, missing.
function rules.care_level(m)
  local sc = m.self_care
  if sc == nil then return nil, { "member:" .. m.id .. ".self_care" } end
  local failed = 0
  if sc.eating == false then failed = failed + 1 end
  if sc.dressing == false then failed = failed + 1 end
  if sc.bed_transfer == false then failed = failed + 1 end
  if sc.toileting == false then failed = failed + 1 end
  if sc.indoor_walking == false then failed = failed + 1 end
  if sc.bathing == false then failed = failed + 1 end
  if failed == 0 then return "self", EMPTY end
  if failed <= 3 then return "partial", EMPTY end
  return "full", EMPTY
end

-- Basic-living amount (fen / month). tekun.basic_urban / tekun.basic_rural when the pack sets
-- them (published figures win); otherwise ceil-to-yuan(tekun.basic_multiplier × standard),
-- rounded by the multiplier's declared rounding. The base is the household's own area, or the
-- urban standard for everyone when tekun.basic_base = urban (云南). Returns fen|nil, reason, missing.
local BASIC_PNAME = { urban = "tekun.basic_urban", rural = "tekun.basic_rural" }
function rules.tekun_basic(m, h, ctx, F)
  local base = param(ctx, "tekun.basic_base") or "own_area"
  local area = base == "urban" and "urban" or h.area
  local pname = BASIC_PNAME[area] or "tekun.basic_" .. area
  local published = param(ctx, pname)
  if published ~= nil then
    local def = R["tekun.basic.published#" .. area]
    if def then return published, sa.reason(def, published), EMPTY end
    return published, sa.reason_p(R["tekun.basic.published"], { pname, "tekun.basic_base" }, published), EMPTY
  end
  local mult = param(ctx, "tekun.basic_multiplier")
  local s, miss, sp = rules.standard(h, ctx, area)
  local missing = {}
  if mult == nil then missing[#missing + 1] = "param:tekun.basic_multiplier" end
  rules.missing_add(missing, miss)
  if #missing > 0 then return nil, nil, missing end
  local amount = sa.mul(s, mult, mult.rounding or "up_yuan")
  local params = { "tekun.basic_multiplier", "tekun.basic_base" }
  rules.missing_add(params, sp)
  return amount, sa.reason_p(R["tekun.basic"], params, s, amount), EMPTY
end

-- Care amount for `level` (fen / month). Where the chain supplies any at-home rate
-- (tekun.care_home_full / _partial / _self) on the date, a person supported at home gets
-- tekun.care_home_<level> (missing level: undetermined, `param:tekun.care_home_<level>`) and a
-- person whose support_mode is unknown is undetermined; otherwise, and for institutional
-- support, tekun.care_<level> (institutional, or the single rate). Returns fen|nil, reason, missing.
local CARE_PNAME = { self = "tekun.care_self", partial = "tekun.care_partial", full = "tekun.care_full" }
local CARE_HOME_PNAME = { self = "tekun.care_home_self", partial = "tekun.care_home_partial", full = "tekun.care_home_full" }
local ONE = {} -- ONE[name] = { name }, read-only lists built once
for _, t in ipairs({ CARE_PNAME, CARE_HOME_PNAME }) do
  for _, name in pairs(t) do ONE[name] = { name } end
end
function rules.tekun_care(m, h, ctx, F, level)
  local name = CARE_PNAME[level] or "tekun.care_" .. level
  local home_name = CARE_HOME_PNAME[level] or "tekun.care_home_" .. level
  local any_home = param(ctx, "tekun.care_home_full") ~= nil or param(ctx, "tekun.care_home_partial") ~= nil
    or param(ctx, "tekun.care_home_self") ~= nil
  if any_home then
    if m.support_mode == nil then return nil, nil, { "member:" .. m.id .. ".support_mode" } end
    if m.support_mode == "home" then
      local home = param(ctx, home_name)
      if home == nil then return nil, nil, { "param:" .. home_name } end
      return home, sa.reason_p(R["tekun.care.home"], ONE[home_name] or { home_name }, m.id, level, home), EMPTY
    end
  end
  local care = param(ctx, name)
  if care == nil then return nil, nil, { "param:" .. name } end
  return care, sa.reason_p(R["tekun.care"], ONE[name] or { name }, m.id, level, care), EMPTY
end

-- ------------------------------------------------------------------ one person

local SELF_CARE_ID = { self = "tekun.self_care.self", partial = "tekun.self_care.partial", full = "tekun.self_care.full" }
local SELF_CARE_ZH = { self = "具备生活自理能力", partial = "部分丧失生活自理能力", full = "完全丧失生活自理能力" }

-- Returns { id, status, amount, care_level, reasons, missing }: reasons a handle (sa.reasons)
-- or a list, missing read-only (sa.EMPTY when nothing is missing).
function rules.tekun_person(m, h, ctx, F)
  local id = m.id
  local info = F.by_id[id]
  local res = { id = id, missing = EMPTY }
  -- only the household's Art. 7 members are assessed with it (issue 13 point 2): a sibling
  -- living apart, a member away in religious life 3+ years, … is assessed in his own household
  if info.counted == false then
    res.status = "ineligible"
    res.reasons = sa.reason(R["tekun.not_member"], id)
    return res
  end
  local ex = m.excluded
  if ex == "prison" or ex == "missing" or ex == "drug_rehabilitation" then
    res.status = "ineligible"
    res.reasons = sa.reason(R["tekun.excluded"], id)
    return res
  end
  local lv, lr = rules.no_labour_capacity(m, h, ctx, F)
  if not lv then
    local cv, cr = rules.tekun_continues(m, h, ctx, F)
    if cv then lv, lr = true, cr end
  end
  -- reasons: one handle (sa.reasons) when every part is a handle; a list where an override
  -- written to the old contract gave a reason record or a list of reasons
  local old = type(lr) == "table"
  if not lv then
    res.status = "ineligible"
    res.reasons = old and { lr } or lr
    return res
  end
  if m.orphan_track == true and info.age < 18 then
    res.status = "ineligible"
    res.reasons = old and { lr, sa.reason(R["tekun.orphan_track"], id) } or sa.reasons(lr, sa.reason(R["tekun.orphan_track"], id))
    return res
  end
  local sv, sr, sm = rules.tekun_no_supporter(m, h, ctx, F)
  local iv, ir, im, imargin = rules.tekun_no_living_source(m, h, ctx, F)
  res.margin = imargin
  old = old or type(sr) == "table" or type(ir) == "table"
  if sv == false or iv == false then
    res.status = "ineligible"
    if sv ~= false then sr = nil end
    if iv ~= false then ir = nil end
    res.reasons = old and rules.reasons_add(rules.reasons_add({ lr }, sr), ir) or sa.reasons(lr, sr, ir)
    return res
  end
  res.status = (sv and iv and info.counted == true) and "eligible" or "undetermined"
  local miss = add_missing(EMPTY, info.missing)
  miss = add_missing(miss, sm)
  miss = add_missing(miss, im)
  -- amount: basic living + care by self-care level
  local basic, br, bm = rules.tekun_basic(m, h, ctx, F)
  local level, lm = rules.care_level(m)
  res.care_level = level
  local care, cr, cm = nil, nil, nil
  if level then care, cr, cm = rules.tekun_care(m, h, ctx, F, level) end
  miss = add_missing(miss, bm)
  miss = add_missing(miss, lm)
  res.missing = add_missing(miss, cm)
  local scr -- the self-care level's reason
  if level then
    local def = R[SELF_CARE_ID[level] or ""]
    scr = def and sa.reason(def, id, level, SELF_CARE_ZH[level])
      or rules.reason("tekun.self_care." .. level, -- a level a child pack added: the record form
        "{id}：生活自理能力评估为 {level_zh}", "{id}: self-care assessed as {level}", REF_22, nil,
        { id = id, level = level, level_zh = SELF_CARE_ZH[level] })
  end
  if old or type(scr) == "table" or type(br) == "table" or type(cr) == "table" then
    local rr = rules.reasons_add(rules.reasons_add({ lr }, sr), ir)
    if br then rr[#rr + 1] = br end
    if scr then rr[#rr + 1] = scr end
    if cr then rr[#rr + 1] = cr end
    res.reasons = rr
  else
    res.reasons = sa.reasons(lr, sr, ir, br, scr, cr)
  end
  res.basic, res.care = basic, care
  if basic ~= nil and care ~= nil then res.amount = basic + care end
  return res
end

-- ------------------------------------------------------------------ the program

-- The household without the members in `state` marked true (found 特困): the 低保 household
-- Art. 8 (二) speaks of. Returns facts with dibao, dibao_reasons, dibao_missing.
function rules.tekun_household(h, ctx, state)
  local skip = {}
  for id, v in pairs(state) do if v == true then skip[id] = true end end
  local D = rules.facts(h, ctx, skip)
  D.dibao, D.dibao_reasons, D.dibao_missing = rules.dibao_household(h, ctx, D)
  return D
end

-- The tekun program: the household's members are assessed jointly (Art. 8 (一): a supporter
-- found 特困 in the same decision cannot fulfil the duty), as the GREATEST fixpoint: start
-- from every member being 特困 (F.tekun_state[id] = true), assess each with the others'
-- current states and the 低保 household those states leave (F.tekun_D, for Art. 8 (二));
-- lower a state (true → "maybe" → false, never up) where the assessment says so; repeat
-- until nothing changes. Two severely disabled spouses, neither able to support the other,
-- are both 特困. The amount is the sum over recognised persons (nil if any of theirs is
-- unknown); members lists them; care_level is their common level (nil when they differ) and
-- care_levels gives each one's.
-- Status: eligible if anyone is recognised (missing then lists what the others' and the
-- amounts' decisions need), else undetermined if anyone is undetermined, else ineligible.
local STATE_OF = { eligible = true, undetermined = "maybe", ineligible = false }
function rules.tekun(h, ctx, F)
  local reasons = {}
  local prog = { program = "tekun", members = EMPTY, reasons = reasons, missing = {} }
  local eligible, undetermined = {}, {}
  local hm = h.members
  local state, tmiss = {}, {}
  local any = false
  for i = 1, #hm do
    local m = hm[i]
    local id = m.id
    -- the top of the lattice: every member who could be 特困 at all (an Art. 7 member without
    -- labour capacity); the others can never be, so they start (and stay) out. A household
    -- with no such member needs no joint pass (docs/performance.md).
    local could = F.by_id[id].counted ~= false and (rules.no_labour_capacity(m, h, ctx, F) or rules.tekun_continues(m, h, ctx, F))
    state[id] = could and true or false
    any = any or could
  end
  F.tekun_state, F.tekun_missing = state, tmiss
  if any then
    F.tekun_D = rules.tekun_household(h, ctx, state)
  else
    F.tekun_D = F -- nobody leaves the household (rules.evaluate has set F.dibao)
  end
  local people = {}
  for _ = 1, #hm + 2 do
    local changed = false
    for i = 1, #hm do
      local id = hm[i].id
      local p = rules.tekun_person(hm[i], h, ctx, F)
      local old, new = state[id], STATE_OF[p.status]
      if old == false then new = false elseif old == "maybe" and new == true then new = "maybe" end
      if new == "maybe" and p.status == "eligible" then p.status = "undetermined" end
      if new == false and p.status ~= "ineligible" then p.status = "ineligible" end
      if new ~= old then changed = true; state[id] = new end
      tmiss[id] = p.missing
      people[i] = p
    end
    if not changed then break end
    local still = false
    for _, v in pairs(state) do if v == true then still = true; break end end
    F.tekun_D = still and rules.tekun_household(h, ctx, state) or F
  end
  for i = 1, #hm do
    local p = people[i]
    rules.reasons_add(reasons, p.reasons) -- a handle, or a list (an override of the old contract)
    if p.status == "eligible" then
      eligible[#eligible + 1] = p
    elseif p.status == "undetermined" then
      undetermined[#undetermined + 1] = p
    end
  end
  if #eligible > 0 then
    prog.status = "eligible"
    prog.members = {}
    -- parts: the basic-living and care components, each summed where every person's is known,
    -- so published basic figures (云南 968, 广州 2052) can be checked even when care is not.
    local total, basic, care = 0, 0, 0
    local levels, common = {}, eligible[1].care_level
    for _, p in ipairs(eligible) do
      prog.members[#prog.members + 1] = p.id
      rules.missing_add(prog.missing, p.missing)
      if total ~= nil and p.amount ~= nil then total = total + p.amount else total = nil end
      if basic ~= nil and p.basic ~= nil then basic = basic + p.basic else basic = nil end
      if care ~= nil and p.care ~= nil then care = care + p.care else care = nil end
      levels[#levels + 1] = p.care_level or false
      if p.care_level ~= common then common = nil end
    end
    prog.amount = total
    prog.parts = { basic = basic, care = care }
    prog.care_level = common
    prog.care_levels = levels
    local per = {} -- each person's amount, for the orphan allowance's 补差 (rules/orphan.lua)
    for _, p in ipairs(eligible) do per[p.id] = p.amount end
    prog.person_amounts = per
  elseif #undetermined > 0 then
    prog.status = "undetermined"
  else
    prog.status = "ineligible"
  end
  for _, p in ipairs(undetermined) do rules.missing_add(prog.missing, p.missing) end
  prog.margin = rules.tekun_margin(people)
  return prog
end

-- The program's margin (docs/decision.md "margin"): Art. 6 (一) is a test of each candidate's
-- own income, so there is one margin per candidate whose income test was decided, in member
-- order (`candidates`); the program's own fields are those of the candidate nearest the line
-- (the smallest change that flips any candidate's test; the first on a tie), named by
-- `member`. Other conditions (labour capacity, supporters, assets) always apply. nil when no
-- candidate's income test was decided.
function rules.tekun_margin(people)
  local list, best = nil, nil
  for i = 1, #people do
    local mg = people[i].margin
    if mg then
      list = list or {}
      list[#list + 1] = mg
      if best == nil or mg.amount < best.amount then best = mg end
    end
  end
  if best == nil then return nil end
  local out = {}
  for k, v in pairs(best) do out[k] = v end
  out.candidates = list
  return out
end

-- ------------------------------------------------------------------ reasons
-- Declared once when the pack loads (docs/rule-authors.md §5.5); sa.reason(R[...], ...) writes
-- one per household into libsa's buffer with its arguments, in the order of the names listed.
R["tekun.minor_to_18"] = sa.reason_def("tekun.minor_to_18", "{id}：特困人员中的未成年人，继续享有救助供养待遇至18周岁",
  "{id}: a minor already supported as tekun keeps support until 18",
  REF_24, nil, { "id" })
R["tekun.student_past_18"] = sa.reason_def("tekun.student_past_18", "{id}：年满18周岁仍在接受义务教育或在普通高中、中等职业学校就读，继续享有待遇",
  "{id}: past 18 and still in compulsory education, senior high school or secondary vocational school; support continues",
  REF_24, nil, { "id" })
R["tekun.supporter.minor"] = sa.reason_def("tekun.supporter.minor", "义务人{i}：未成年，不负赡养、扶养义务",
  "supporter {i}: a minor, owes no support",
  "民法典 第一千零六十七条", nil, { "i" })
R["tekun.supporter.none"] = sa.reason_def("tekun.supporter.none", "{id}：无法定赡养、抚养、扶养义务人",
  "{id}: no legal supporter",
  REF_4_3, nil, { "id" })
R["tekun.not_member"] = sa.reason_def("tekun.not_member", "{id}：不是本家庭的共同生活家庭成员，不在本户认定特困",
  "{id}: not a member of this household under Art. 7; not assessed for tekun with it",
  "最低生活保障审核确认办法（民发〔2021〕57号）第七条；" .. REF .. "第四条", nil, { "id" })
R["tekun.excluded"] = sa.reason_def("tekun.excluded", "{id}：在监狱服刑、强制隔离戒毒或被宣告失踪，不予认定",
  "{id}: in prison, compulsory drug rehabilitation or declared missing; not recognised",
  REF_24, nil, { "id" })
R["tekun.orphan_track"] = sa.reason_def("tekun.orphan_track", "{id}：选择纳入孤儿、事实无人抚养儿童保障范围，不再认定为特困人员",
  "{id}: chose the orphan / de-facto-unsupported-child track; not recognised as tekun",
  REF_9, nil, { "id" })
R["tekun.labour.elderly"] = sa.reason_def("tekun.labour.elderly",
  "{id}：年满60周岁，无劳动能力", "{id}: aged 60 or over; no labour capacity", REF_5_1, nil, { "id" })
R["tekun.labour.minor"] = sa.reason_def("tekun.labour.minor",
  "{id}：未满16周岁，无劳动能力", "{id}: under 16; no labour capacity", REF_5_2, nil, { "id" })
R["tekun.labour.disability"] = sa.reason_def("tekun.labour.disability",
  "{id}：残疾类别和等级属于无劳动能力情形", "{id}: disability type and grade mean no labour capacity",
  REF_5_3, nil, { "id" })
R["tekun.labour.able"] = sa.reason_def("tekun.labour.able",
  "{id}：16至59周岁且无第五条所列残疾，不属于无劳动能力",
  "{id}: aged 16-59 without a disability listed in Art. 5; has labour capacity", REF_5, nil, { "id" })
R["tekun.income.below"] = sa.reason_def("tekun.income.below",
  "{id}：本人收入 {inc:yuan} 元低于低保标准 {s:yuan} 元",
  "{id}: own income {inc:yuan} below the dibao standard {s:yuan}", REF_6, nil, { "id", "inc", "s" })
R["tekun.income.above"] = sa.reason_def("tekun.income.above",
  "{id}：本人收入 {inc:yuan} 元不低于低保标准 {s:yuan} 元，有生活来源",
  "{id}: own income {inc:yuan} not below the dibao standard {s:yuan}; has a source of living",
  REF_6, nil, { "id", "inc", "s" })
-- a supporter outside the household (rules.supporter_unable), numbered i
for _, s in ipairs({
  { "tekun.supporter.tekun", "本人为特困人员", "is a tekun person", "（一）" },
  { "tekun.supporter.dibao60", "60周岁以上的低保对象", "a dibao recipient aged 60 or over", "（二）" },
  { "tekun.supporter.elderly70", "70周岁以上，收入低于上年人均可支配收入且财产符合低收入家庭规定",
    "aged 70 or over with income below last year's per-capita disposable income and assets within low-income limits", "（三）" },
  { "tekun.supporter.disabled", "重度残疾或三级智力、精神残疾，收入低于上年人均可支配收入且财产符合低收入家庭规定",
    "severely disabled (or intellectual / mental grade 3) with income below last year's per-capita disposable income and assets within low-income limits", "（四）" },
  { "tekun.supporter.custody", "无民事行为能力、被宣告失踪或在监狱服刑，且财产符合低收入家庭规定",
    "without civil capacity, declared missing or in prison, with assets within low-income limits", "（五）" },
}) do
  R[s[1] .. "#s"] = sa.reason_def(s[1], "义务人{i}：" .. s[2], "supporter {i}: " .. s[3], REF_8_[s[4]], nil, { "i" })
end
R["tekun.supporter.able#s"] = sa.reason_def("tekun.supporter.able",
  "义务人{i}：不属于第八条所列无履行义务能力情形", "supporter {i}: none of the cases of Art. 8 applies; able to support",
  REF_8, nil, { "i" })
-- a household member as supporter (rules.member_supporter_unable)
R["tekun.supporter.tekun"] = sa.reason_def("tekun.supporter.tekun", "{id}（家庭成员）：本次认定为特困人员，无履行义务能力",
  "{id} (household member): found tekun in this decision; cannot support", REF_8_["（一）"], nil, { "id" })
R["tekun.supporter.custody"] = sa.reason_def("tekun.supporter.custody", "{id}（家庭成员）：在监狱服刑或被宣告失踪，且财产符合低收入家庭规定",
  "{id} (household member): in prison or declared missing, with assets within low-income limits", REF_8_["（五）"], nil, { "id" })
R["tekun.supporter.dibao60"] = sa.reason_def("tekun.supporter.dibao60", "{id}（家庭成员）：60周岁以上的低保对象",
  "{id} (household member): a dibao recipient aged 60 or over", REF_8_["（二）"], nil, { "id" })
R["tekun.supporter.elderly70"] = sa.reason_def("tekun.supporter.elderly70", "{id}（家庭成员）：70周岁以上，收入低于上年人均可支配收入且财产符合低收入家庭规定",
  "{id} (household member): aged 70 or over with income below last year's per-capita disposable income and assets within low-income limits",
  REF_8_["（三）"], nil, { "id" })
R["tekun.supporter.disabled"] = sa.reason_def("tekun.supporter.disabled", "{id}（家庭成员）：重度残疾或三级智力、精神残疾，收入低于上年人均可支配收入且财产符合低收入家庭规定",
  "{id} (household member): severely disabled with income below last year's per-capita disposable income and assets within low-income limits",
  REF_8_["（四）"], nil, { "id" })
R["tekun.supporter.able"] = sa.reason_def("tekun.supporter.able", "{id}（家庭成员）：有履行赡养、扶养、抚养义务的能力",
  "{id} (household member): able to support", REF_8, nil, { "id" })
R["tekun.basic.published"] = sa.reason_def("tekun.basic.published",
  "特困人员基本生活标准 {amount:yuan} 元（公布数）", "tekun basic living {amount:yuan} (published figure)",
  "社会救助暂行办法 第十五条", nil, { "amount" })
for area, pname in pairs(BASIC_PNAME) do
  R["tekun.basic.published#" .. area] = sa.reason_def("tekun.basic.published",
    "特困人员基本生活标准 {amount:yuan} 元（公布数）", "tekun basic living {amount:yuan} (published figure)",
    "社会救助暂行办法 第十五条", { pname, "tekun.basic_base" }, { "amount" })
end
R["tekun.basic"] = sa.reason_def("tekun.basic",
  "特困人员基本生活标准 = 倍数 × 低保标准 {s:yuan} 元，向上取整到元 = {amount:yuan} 元",
  "tekun basic living = multiplier x dibao standard {s:yuan}, rounded up to the yuan = {amount:yuan}",
  REF_BASIC, nil, { "s", "amount" })
R["tekun.care.home"] = sa.reason_def("tekun.care.home", "{id}：分散供养照料护理标准（{level}）{amount:yuan} 元",
  "{id}: at-home care ({level}) {amount:yuan}", REF_CARE_HOME, nil, { "id", "level", "amount" })
R["tekun.care"] = sa.reason_def("tekun.care", "{id}：照料护理标准（{level}）{amount:yuan} 元",
  "{id}: care ({level}) {amount:yuan}", REF_22, nil, { "id", "level", "amount" })
for level, id in pairs(SELF_CARE_ID) do
  R[id] = sa.reason_def(id, "{id}：生活自理能力评估为 {level_zh}", "{id}: self-care assessed as {level}", REF_22, nil,
    { "id", "level", "level_zh" })
end
