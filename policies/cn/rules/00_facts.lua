-- rules/00_facts.lua — facts every program uses: who is a household member, ages, counted
-- income, the dibao standard in force, the asset test, plus the small shared helpers.
--
-- Conventions of the cn pack (every rule file follows them):
--   * Money is integer fen; no `/` on money: sa.mul / sa.div with a named rounding.
--     "per-capita income < standard" is tested as `total < standard * n` (exact, no division).
--   * Tri-state answers: a test returns `v, reason, missing` where v is true / false / nil;
--     nil means undetermined and `missing` lists the names that would settle it
--     (`param:<name>`, `member:<id>.<field>`, `household.<field>`, `supporter:<n>.<field>`).
--     Nothing missing is defaulted. Exception, decided here: an ABSENT optional flag or
--     description of a person (`disability`, `serious_illness`, `orphan_track`, a supporter's
--     `tekun` / `dibao` / `in_prison` …) means "not the case" — the schema makes these
--     affirmative facts a caller states when they hold. Absent income, assets, self-care,
--     rigid spending and dates are unknown.
--   * Supporters are numbered from 0 in missing names (`supporter:0.income`), the index the
--     C API uses in paths (`supporters.0.income`).
--   * Every function a child pack may want to replace is `rules.<name>`; functions always call
--     each other through `rules.` so that a child's replacement is used by cn's own code.

local R = {} -- this file's reasons (sa.reason_def at the end of the file)

-- ------------------------------------------------------------------ shared helpers
--
-- Speed (docs/performance.md): rules run once per household, hundreds of thousands of times in
-- a screening run. Reason text is never built here: a reason carries its zh/en TEMPLATES and
-- the values that fill them (rules.reason), and libsa fills them only for a caller that shows
-- text. Constant strings (references) are built once at load time, parameters are read once per
-- evaluation (rules.param), facts are computed once (rules.facts, rules.assets_ok memo), and
-- hot paths use numeric loops instead of pairs/closures/temporary tables.

local sa_param = sa.param
local NO_PARAMS = {} -- shared empty params list (read-only after loading)
local EMPTY = sa.EMPTY -- shared read-only empty list (docs/rule-authors.md §5.5)
local NN -- the "not needed for this outcome" reason (sa.reason_def at the end of the file)
local sa_all_of, sa_any_of = sa.all_of, sa.any_of

-- A reason record (docs/lua-api.md "Reasons"): the contract before issue 14, kept for child
-- packs for one release (sa lint warns, lua-old-reason); cn's own rules declare their reasons
-- with sa.reason_def and write them with sa.reason. `params` lists parameter names used.
-- With `values` (a table), zh and en are templates: `{name}` is values.name (text or integer),
-- `{name:yuan}` is values.name (fen) as yuan ("744.00"); libsa fills them only when the caller
-- wants text. Without `values`, zh and en are the text itself.
function rules.reason(id, zh, en, ref, params, values)
  return { id = id, zh = zh, en = en, ref = ref, params = params or NO_PARAMS, values = values }
end

-- sa.param(name): the value in force on ctx.as_of. (libsa finds a parameter by its name's
-- address and notes each read once per evaluation, so a cache here in Lua only cost more:
-- docs/performance.md.) ctx stays in the signature for overrides that need it.
function rules.param(ctx, name)
  return sa_param(name)
end
local param = rules.param

-- Append the names of `src` to `dst` without duplicates; returns dst.
function rules.missing_add(dst, src)
  if src == nil or src == EMPTY then return dst end
  if type(src) == "string" then src = { src } end
  local nd = #dst
  for i = 1, #src do
    local name = src[i]
    local seen = false
    for j = 1, nd do
      if dst[j] == name then seen = true; break end
    end
    if not seen then nd = nd + 1; dst[nd] = name end
  end
  return dst
end

-- Combine tri-state conditions with AND, given as triples, no table per condition
-- (docs/rule-authors.md §5.5): rules.all3(v1, r1, m1, v2, r2, m2, ...), each v true / false /
-- nil, r a reason handle or nil, m the missing names (a list, a name or nil). Returns v,
-- reasons (one handle or nil: the false conditions' reasons and a "not needed" reason naming
-- the unknowns when false, every reason otherwise), missing (the unknowns' names when v is nil,
-- a fresh list; sa.EMPTY otherwise). sa.all_of (libsa/lua/reason.c) does the work.
function rules.all3(...)
  return sa_all_of(NN, ...)
end

-- OR, the same way: rules.any3(v1, r1, m1, ...) returns v, reasons (true: the first true
-- condition's reason and "not needed" for the unknowns; else every reason), missing (when nil)
-- and, when true, the first true condition's reason alone.
function rules.any3(...)
  return sa_any_of(NN, ...)
end

-- The contract before issue 14, kept for child packs for one release (sa lint warns,
-- lua-old-combinator; use rules.all3 / rules.any3): each item is a table { v, reason, missing }.
-- Combine tri-state conditions with AND.
-- Returns v, reasons (of the false items when false, of all items otherwise), missing.
function rules.all_of(items)
  local any_false, any_nil = false, false
  local n = #items
  for i = 1, n do
    local v = items[i][1]
    if v == false then any_false = true elseif v == nil then any_nil = true end
  end
  local reasons, nr = {}, 0
  if any_false then
    for i = 1, n do
      local it = items[i]
      if it[2] and it[1] == false then nr = nr + 1; reasons[nr] = it[2] end
    end
    if any_nil then reasons[nr + 1] = rules.not_needed(items) end
    return false, reasons, {}
  end
  for i = 1, n do
    local r = items[i][2]
    if r then nr = nr + 1; reasons[nr] = r end
  end
  if any_nil then
    local missing = {}
    for i = 1, n do
      local it = items[i]
      if it[1] == nil then rules.missing_add(missing, it[3]) end
    end
    return nil, reasons, missing
  end
  return true, reasons, {}
end

-- The reason naming what is unknown but cannot change the outcome (issue 13 point 8): the
-- undetermined items (v == nil) of a combination whose value the other items already fix.
function rules.not_needed(items)
  local names = {}
  for i = 1, #items do
    local it = items[i]
    if it[1] == nil then rules.missing_add(names, it[3]) end
  end
  return rules.not_needed_names(names)
end

-- The same reason for a list of names (what rules.all3 / rules.any3 write).
function rules.not_needed_names(names)
  return sa.reason(NN, table.concat(names, ", "))
end

-- Append reasons `r` to the list `list`: a handle (sa.reason, sa.reasons, rules.all3), a list
-- of them (the contract before issue 14) or nil. Returns list.
function rules.reasons_add(list, r)
  if r == nil then return list end
  if type(r) == "table" then
    for i = 1, #r do list[#list + 1] = r[i] end
  else
    list[#list + 1] = r
  end
  return list
end

-- Combine tri-state conditions with OR (same item shape as rules.all_of; the contract before
-- issue 14, see rules.any3).
function rules.any_of(items)
  local reasons, missing = {}, {}
  for _, it in ipairs(items) do
    if it[1] == true then
      for _, o in ipairs(items) do
        if o[1] == nil then return true, { it[2], rules.not_needed(items) }, {} end
      end
      return true, { it[2] }, {}
    end
  end
  local any_nil = false
  for _, it in ipairs(items) do
    if it[1] == nil then any_nil = true; rules.missing_add(missing, it[3]) end
    if it[2] then reasons[#reasons + 1] = it[2] end
  end
  if any_nil then return nil, reasons, missing end
  return false, reasons, {}
end

-- Money as yuan text for reason texts ("700.00").
function rules.yuan(fen)
  if fen == nil then return "?" end
  return sa.yuan(fen)
end

-- ------------------------------------------------------------------ persons

local REF_MEMBERS = "最低生活保障审核确认办法（民发〔2021〕57号）第七条"
local REF_MEMBERS_EX1 = REF_MEMBERS .. "不计入（一）"
local REF_MEMBERS_EX2 = REF_MEMBERS .. "不计入（二）"
local REF_MEMBERS_3 = REF_MEMBERS .. "（三）"

-- Education levels of "全日制本科及以下学历教育" (Art. 7 (三)).
local AT_MOST_BACHELOR = {
  primary = true, junior = true, senior = true, vocational = true,
  higher_vocational = true, bachelor = true,
}
local ABOVE_BACHELOR = { master = true, doctor = true }

function rules.age(m, ctx)
  return sa.age(m.birth, ctx.as_of)
end

-- 重度残疾: grade 1-2 of any type, or grade 3 intellectual / mental disability. This is the
-- group of 民发〔2021〕57号 Art. 8 (一), 特困人员认定办法 Art. 8 (四) and the 分类施保 重残 group.
function rules.severe_disability(d)
  if d == nil then return false end
  if d.grade <= 2 then return true end
  return d.grade == 3 and (d.type == "intellectual" or d.type == "mental")
end

-- Is member m one of the household's 共同生活的家庭成员 (Art. 7)? Returns v, reason, missing.
-- Every counted or left-out member gets a reason naming the item of Art. 7 that decides.
--
-- Art. 7 (一) spouse, (二) minor children, (三) adult children unable to live independently,
-- including those in full-time education at bachelor level or below, are members WHETHER OR
-- NOT they live with the household (a child at boarding school, at university elsewhere or
-- with grandparents still counts); only (四), other persons with a legal duty of support,
-- requires long-term co-residence. The applicant (`head`) is the household's own member.
--   * prison, drug_rehabilitation, missing: excluded (不计入 (二)), wherever they live.
--   * religious_away: excluded when away_since is at least 3 whole years before the as-of
--     date (连续三年以上（含三年）); fewer years: treated like any member; no away_since:
--     undetermined, `member:<id>.away_since`.
--   * An adult child counts under (三) when unable to live independently (able_to_work false
--     or a severe disability) or in full-time education at bachelor level or below. A
--     full-time master's or doctoral student is not under (三); living with the household he
--     counts under (四) like any other co-resident adult child, living apart he does not.
--   * parent, grandparent, grandchild, sibling and `other` count under (四) when they live
--     with the household (the household declares them as co-resident family; whether an
--     `other` has a duty of support is the county's call before the data reaches libsa).
local REF_MEMBERS_1, REF_MEMBERS_2, REF_MEMBERS_4 = REF_MEMBERS .. "（一）", REF_MEMBERS .. "（二）", REF_MEMBERS .. "（四）"
function rules.is_member(m, h, ctx)
  local id = m.id
  local ex = m.excluded
  if ex == "prison" or ex == "drug_rehabilitation" or ex == "missing" then
    return false, sa.reason(R["member.excluded"], id), EMPTY
  end
  if ex == "religious_away" then
    if m.away_since == nil then
      return nil, nil, { "member:" .. id .. ".away_since" }
    end
    if sa.age(m.away_since, ctx.as_of) >= 3 then
      return false, sa.reason(R["member.religious_away"], id), EMPTY
    end
  end
  local rel = m.relation
  local apart = m.lives_with_household == false
  if rel == "head" then
    return true, sa.reason(R["member.applicant"], id), EMPTY
  end
  if rel == "spouse" then
    return true, sa.reason(apart and R["member.spouse#apart"] or R["member.spouse"], id), EMPTY
  end
  if rel == "child" then
    local age = rules.age(m, ctx)
    if age < 18 then
      return true, sa.reason(R["member.minor_child"], id), EMPTY
    end
    if m.able_to_work == false or rules.severe_disability(m.disability) then
      return true, sa.reason(R["member.adult_dependent"], id), EMPTY
    end
    local edu = m.education
    if edu and edu.full_time and AT_MOST_BACHELOR[edu.level] then
      return true, sa.reason(R["member.student"], id), EMPTY
    end
    if edu and edu.full_time and ABOVE_BACHELOR[edu.level] and apart then
      return false, sa.reason(R["member.postgraduate"], id), EMPTY
    end
  end
  if apart then
    return false, sa.reason(R["member.apart"], id), EMPTY
  end
  return true, sa.reason(R["member.co_resident"], id), EMPTY
end

-- ------------------------------------------------------------------ dibao standard

-- The monthly dibao standard (fen) for `area` (default: the household's). Returns
-- fen | nil, missing, params. Rural: dibao.standard_rural, else dibao.standard_rural_annual / 12
-- half-up to the fen (docs/pack-format.md).
-- The lists returned are shared and read-only (callers copy them with rules.missing_add).
local NOTHING = {}
local P_URBAN, P_RURAL, P_RURAL_ANNUAL = { "dibao.standard_urban" }, { "dibao.standard_rural" },
  { "dibao.standard_rural_annual" }
local M_URBAN, M_RURAL = { "param:dibao.standard_urban" }, { "param:dibao.standard_rural" }
function rules.standard(h, ctx, area)
  area = area or h.area
  if area == "urban" then
    local s = param(ctx, "dibao.standard_urban")
    if s == nil then return nil, M_URBAN, P_URBAN end
    return s, NOTHING, P_URBAN
  end
  local s = param(ctx, "dibao.standard_rural")
  if s ~= nil then return s, NOTHING, P_RURAL end
  local annual = param(ctx, "dibao.standard_rural_annual")
  if annual ~= nil then
    return sa.div(annual, 12, "half_up_fen"), NOTHING, P_RURAL_ANNUAL
  end
  return nil, M_RURAL, P_RURAL
end

-- ------------------------------------------------------------------ disposable income

-- Last year's local per-capita disposable income (fen / person / year) that a test compares
-- with. `basis_param` (rigid.income_basis, tekun.income_basis, temporary.income_basis) names
-- the figure the local document uses: urban (城镇居民), rural (农村居民) or all (全体居民). Unset:
-- the figure of the household's area where the pack publishes it, else all residents
-- (docs/national-pack.md §2); with none published the missing name is
-- param:stats.disposable_income. Returns fen | nil, missing, params.
-- The lists returned are shared and read-only (callers copy them with rules.missing_add).
local DI_NAME = { urban = "stats.disposable_income_urban", rural = "stats.disposable_income_rural",
                  all = "stats.disposable_income" }
local DI_PARAMS, DI_MISSING = {}, {} -- { name }, { "param:" .. name }, built once
for _, name in pairs(DI_NAME) do DI_PARAMS[name], DI_MISSING[name] = { name }, { "param:" .. name } end
function rules.disposable_income(h, ctx, basis_param)
  local basis = basis_param and param(ctx, basis_param)
  if basis ~= nil then
    local name = DI_NAME[basis] or "stats.disposable_income"
    local v = param(ctx, name)
    local params = { basis_param, name }
    if v == nil then return nil, DI_MISSING[name], params end
    return v, EMPTY, params
  end
  local own = DI_NAME[h.area]
  local v = own and param(ctx, own)
  if v ~= nil then return v, EMPTY, DI_PARAMS[own] end
  v = param(ctx, "stats.disposable_income")
  if v ~= nil then return v, EMPTY, DI_PARAMS["stats.disposable_income"] end
  -- nothing published: name the all-residents figure, the one every 统计公报 gives
  return nil, DI_MISSING["stats.disposable_income"], DI_PARAMS["stats.disposable_income"]
end

-- ------------------------------------------------------------------ income

local REF_INCOME = "最低生活保障审核确认办法（民发〔2021〕57号）第十三条"

-- Employment-cost deduction for member m (fen). Returns fen | nil, missing, params.
-- Art. 13 lets necessary employment costs be deducted "按规定"; the national text sets no
-- amount. Decision: with no local rule (neither parameter set) NOTHING is deducted, not even
-- the member's documented `employment_costs`: a self-declared deduction without a local rule
-- would let the applicant set his own income. A province that deducts documented costs
-- replaces this function (return m.employment_costs or 0, capped at the wages).
-- When both parameters are set the wage share is used (a locality sets one method).
-- The deduction applies to wages (工资性收入) only and never exceeds them.
-- The lists returned are read-only (shared): a caller copies them to extend them.
local P_WAGE_SHARE = { "income.employment_cost_wage_share" }
function rules.employment_cost(m, h, ctx)
  local wages = m.income.wages
  if wages <= 0 then return 0, EMPTY, EMPTY end
  local ws = param(ctx, "income.employment_cost_wage_share")
  local d, params
  if ws ~= nil then
    d = sa.mul(wages, ws, ws.rounding or "half_up_fen")
    params = P_WAGE_SHARE
  else
    local ss = param(ctx, "income.employment_cost_standard_share")
    if ss == nil then return 0, EMPTY, EMPTY end
    local s, miss, sp = rules.standard(h, ctx)
    if s == nil then return nil, miss, sp end
    d = sa.mul(s, ss, ss.rounding or "half_up_fen")
    params = { "income.employment_cost_standard_share" }
    for i = 1, #sp do params[#params + 1] = sp[i] end
  end
  if d > wages then d = wages end
  if d < 0 then d = 0 end
  return d, EMPTY, params
end

-- Counted monthly income of member m (fen; may be negative when transfers paid exceed income).
-- Returns fen | nil, missing, params; when only a parameter with two values is unknown (the
-- central basic pension counted or not) also lo, hi: the income at each of them.
--
-- Counted (Art. 13): wages − employment cost, business (net), property, transfers, pension,
-- maintenance received − maintenance paid − taxes and contributions.
-- Not counted (Art. 13 不计入): special_care 优待抚恤金, family_planning, scholarship,
-- bravery_award, assistance (government social-assistance cash), old_age_allowance 高龄津贴
-- (特困人员认定办法 Art. 6), and the central basic pension while
-- income.central_basic_pension_excluded is true (Art. 13 (三), "十四五" = to 2025-12-31).
-- `program` = "tekun": the central basic pension is never counted — 特困人员认定办法 Art. 6
-- excludes it with no time limit.
function rules.counted_income(m, h, ctx, program)
  local inc = m.income
  if inc == nil then return nil, { "member:" .. m.id .. ".income" }, {} end
  local ec, miss, params = rules.employment_cost(m, h, ctx)
  if ec == nil then return nil, miss, params end
  local total = inc.wages - ec + inc.business + inc.property + inc.transfers + inc.pension
    + inc.maintenance_received - inc.maintenance_paid - inc.taxes_and_contributions
  if inc.basic_pension_central > 0 and program ~= "tekun" then
    local ex = param(ctx, "income.central_basic_pension_excluded")
    local own = {} -- rules.employment_cost's list may be shared: extend a copy
    for i = 1, #params do own[i] = params[i] end
    own[#own + 1] = "income.central_basic_pension_excluded"
    params = own
    if ex == nil then
      -- unknown whether it counts: the income lies between the two bounds (issue 13 point 8)
      return nil, { "param:income.central_basic_pension_excluded" }, params, total, total + inc.basic_pension_central
    end
    if not ex then total = total + inc.basic_pension_central end
  end
  return total, EMPTY, params
end

-- ------------------------------------------------------------------ the household facts

-- Facts of the household, computed once per evaluation and passed to every program:
--   F.as_of, F.members (array in household order: {m=, id=, age=, counted=, reason=, missing=}),
--   F.by_id, F.counted (array of member tables counted), F.n,
--   F.membership_missing, F.standard (fen|nil), F.standard_missing, F.standard_params,
--   F.income[id] (fen|nil per counted member), F.income_missing (array),
--   F.total_income (fen|nil, household total clamped at 0), F.income_params;
--   F.total_lo, F.total_hi when the total is unknown only for want of a two-valued parameter
--   (the central basic pension counted or not): the total at each value. A test that gives the
--   same answer at both decides without it (rules.income_bounds).
--
-- `tekun` (optional) is a set of member ids recognised as 特困 in this evaluation: they are
-- left out of the household that 低保, 边缘 and 刚性支出 assess. Decision: 特困 support is the
-- person's whole basic-living assistance (its standard is at least 1.3 × the dibao standard,
-- and 社会救助暂行办法 Art. 15 asks the two to be 衔接, not paid twice), so the person's income
-- and head count leave the dibao household; the rest of the household is assessed on its own.
function rules.facts(h, ctx, tekun)
  local members, by_id, counted, nc = {}, {}, {}, 0
  local F = { as_of = ctx.as_of, members = members, by_id = by_id, counted = counted, n = 0,
              membership_missing = {}, income = {}, income_missing = {}, income_params = {} }
  local hm = h.members
  for i = 1, #hm do
    local m = hm[i]
    local id = m.id
    local v, r, miss = rules.is_member(m, h, ctx)
    if v == true and tekun and tekun[id] then
      v, miss = false, EMPTY
      r = sa.reason(R["member.tekun"], id)
    end
    local info = { m = m, id = id, age = rules.age(m, ctx), counted = v, reason = r, missing = miss or EMPTY }
    members[i] = info
    by_id[id] = info
    if v == true then
      nc = nc + 1
      counted[nc] = m
    elseif v == nil then
      rules.missing_add(F.membership_missing, miss)
    end
  end
  F.n = nc
  F.standard, F.standard_missing, F.standard_params = rules.standard(h, ctx)
  local total, known = 0, true
  local lo, hi, bounded = 0, 0, true -- bounds of the total when only bounded unknowns remain
  for i = 1, nc do
    local m = counted[i]
    local inc, miss, params, ilo, ihi = rules.counted_income(m, h, ctx, "dibao")
    F.income[m.id] = inc
    rules.missing_add(F.income_params, params)
    if inc == nil then
      known = false
      rules.missing_add(F.income_missing, miss)
      if ilo == nil then bounded = false else lo, hi = lo + ilo, hi + ihi end
    else
      total = total + inc
      lo, hi = lo + inc, hi + inc
    end
  end
  if #F.membership_missing > 0 then
    known = false
    bounded = false
    rules.missing_add(F.income_missing, F.membership_missing)
  end
  if known then
    if total < 0 then total = 0 end
    F.total_income = total
  elseif bounded then
    if lo < 0 then lo = 0 end
    if hi < 0 then hi = 0 end
    F.total_lo, F.total_hi = lo, hi
  end
  return F
end

-- One reason per counted member: each kind of income counted and not counted, with the clause
-- (民发〔2021〕57号 Art. 13), and the employment-cost deduction — or why documented
-- employment_costs are not deducted (no local rule). Text is built only when the caller wants
-- it (ctx.explain ~= false). Returns a list of reasons.
local COUNTED_KINDS = { { "wages", "工资性收入", "wages" }, { "business", "家庭经营净收入", "business" },
  { "property", "财产净收入", "property" }, { "transfers", "转移净收入", "transfers" },
  { "pension", "养老金", "pension" }, { "maintenance_received", "赡养（扶养、抚养）费", "maintenance received" } }
local NOT_COUNTED_KINDS = { { "special_care", "优待抚恤金" }, { "family_planning", "计划生育奖励与扶助金" },
  { "scholarship", "奖学金、助学金" }, { "bravery_award", "见义勇为等奖励性补助" },
  { "assistance", "社会救助金" }, { "old_age_allowance", "高龄津贴" } }
function rules.income_reasons(h, ctx, F)
  if ctx.explain == false then return EMPTY end
  local out = {}
  local counted = F.counted
  for i = 1, #counted do
    local m = counted[i]
    local inc = m.income
    if inc ~= nil then
      local zh, en = {}, {}
      for _, k in ipairs(COUNTED_KINDS) do
        local v = inc[k[1]]
        if v ~= 0 then zh[#zh + 1] = k[2] .. " " .. sa.yuan(v); en[#en + 1] = k[3] .. " " .. sa.yuan(v) end
      end
      local ec = rules.employment_cost(m, h, ctx)
      if ec ~= nil and ec > 0 then
        zh[#zh + 1] = "扣减就业成本 " .. sa.yuan(ec); en[#en + 1] = "less employment cost " .. sa.yuan(ec)
      end
      if inc.maintenance_paid ~= 0 then zh[#zh + 1] = "减支付的赡养费 " .. sa.yuan(inc.maintenance_paid); en[#en + 1] = "less maintenance paid " .. sa.yuan(inc.maintenance_paid) end
      if inc.taxes_and_contributions ~= 0 then zh[#zh + 1] = "减税费及社保个人缴费 " .. sa.yuan(inc.taxes_and_contributions); en[#en + 1] = "less taxes and contributions " .. sa.yuan(inc.taxes_and_contributions) end
      local nz, ne = {}, {}
      for _, k in ipairs(NOT_COUNTED_KINDS) do
        local v = inc[k[1]]
        if v ~= 0 then nz[#nz + 1] = k[2] .. " " .. sa.yuan(v); ne[#ne + 1] = k[1] .. " " .. sa.yuan(v) end
      end
      if inc.basic_pension_central ~= 0 then
        local ex = param(ctx, "income.central_basic_pension_excluded")
        if ex == true then
          nz[#nz + 1] = "中央确定的城乡居民基础养老金 " .. sa.yuan(inc.basic_pension_central)
          ne[#ne + 1] = "central basic pension " .. sa.yuan(inc.basic_pension_central)
        elseif ex == false then
          zh[#zh + 1] = "城乡居民基础养老金 " .. sa.yuan(inc.basic_pension_central)
          en[#en + 1] = "central basic pension " .. sa.yuan(inc.basic_pension_central)
        end
      end
      local total = F.income[m.id]
      local text_zh = m.id .. "：计入月收入 " .. (#zh > 0 and table.concat(zh, "，") or "无") ..
        (total ~= nil and ("，合计 " .. sa.yuan(total) .. " 元") or "")
      local text_en = m.id .. ": counted monthly income " .. (#en > 0 and table.concat(en, ", ") or "none") ..
        (total ~= nil and (", total " .. sa.yuan(total)) or "")
      if #nz > 0 then
        text_zh = text_zh .. "；不计入 " .. table.concat(nz, "，")
        text_en = text_en .. "; not counted: " .. table.concat(ne, ", ")
      end
      local costs = m.employment_costs
      if costs ~= nil and costs > 0 and (ec == nil or ec == 0) then
        local why_zh, why_en = "当地未规定扣减办法", "no local deduction rule"
        if inc.wages <= 0 then why_zh, why_en = "无工资性收入", "no wages" end
        out[#out + 1] = sa.reason(R["income.employment_costs_not_deducted"],
          m.id .. "：申报的就业成本 " .. sa.yuan(costs) .. " 元未扣减（" .. why_zh .. "；第十三条“必要的就业成本”按当地规定扣减）",
          m.id .. ": declared employment costs " .. sa.yuan(costs) .. " not deducted (" .. why_en .. "; Art. 13 deducts necessary employment costs as local rules set)")
      end
      local used = {}
      for _, name in ipairs({ "income.employment_cost_wage_share", "income.employment_cost_standard_share",
                              "income.central_basic_pension_excluded" }) do
        if param(ctx, name) ~= nil then used[#used + 1] = name end
      end
      out[#out + 1] = sa.reason_p(R["income.member"], used, text_zh, text_en)
    end
  end
  return out
end

-- Decide an income test over the bounds of an unknown total (issue 13 point 8): `test(total)`
-- is monotone in the total, so the answers at F.total_lo and F.total_hi cover every value in
-- between. Returns v (nil when they differ), reason ("not needed for this outcome") or nil.
function rules.income_bounds(F, test)
  if F.total_lo == nil then return nil end
  local a, b = test(F.total_lo), test(F.total_hi)
  if a ~= b then return nil end
  return a, sa.reason(R["income.bounds"], F.total_lo, F.total_hi, table.concat(F.income_missing, ", "))
end

-- Reasons that explain who was counted (attached to household programs): one handle (a
-- group; nil when none), or a list where a member's reason is a record of the old contract.
-- The handles are gathered as arguments, last member first (no list per household).
local function member_reasons(members, i, ...)
  if i == 0 then return sa.reasons(...) end
  return member_reasons(members, i - 1, members[i].reason, ...)
end
function rules.membership_reasons(F)
  local members = F.members
  for i = 1, #members do
    if type(members[i].reason) == "table" then -- an override of rules.is_member, old contract
      local out, n = {}, 0
      for k = 1, #members do
        local r = members[k].reason
        if r then n = n + 1; out[n] = r end
      end
      return out
    end
  end
  return member_reasons(members, #members)
end

-- ------------------------------------------------------------------ assets

local REF_ASSETS = "最低生活保障审核确认办法（民发〔2021〕57号）第十四条；社会救助暂行办法 第十条第二款"
local ASSET_ZH = { financial = "金融资产", housing = "住房", non_residential = "非住宅房产",
                   vehicle = "机动车辆", business = "市场主体登记" }
-- Kinds allowed when assets.vehicle_allowed is false and assets.vehicle_kinds_allowed is not
-- set: "ordinary motor vehicle" means a car or a truck (the Guangdong reading, policy-facts §9.3:
-- motorcycles, e-bikes and disabled persons' vehicles excepted).
local DEFAULT_VEHICLE_KINDS = { motorcycle = true, e_bike = true, disability_vehicle = true }

-- The asset parameter `name` for `program` (tekun, dibao, edge, rigid): assets.<program>.<name>
-- when the chain supplies it on the date, else assets.<name>. Returns value|nil, name used.
-- (ctx, optional: read through the per-evaluation cache, rules.param.)
local ASSET_NAMES = { "financial_per_capita_max", "financial_months", "max_housing_units",
                      "max_non_residential_units", "vehicle_allowed", "business_allowed",
                      "financial_base", "vehicle_kinds_allowed" }
local ASSET_PNAME = {} -- ASSET_PNAME[program][name] = "assets.<program>.<name>"; [""] = "assets.<name>"
for _, prog in ipairs({ "tekun", "dibao", "edge", "rigid", "" }) do
  local t = {}
  for _, name in ipairs(ASSET_NAMES) do
    t[name] = prog == "" and "assets." .. name or "assets." .. prog .. "." .. name
  end
  ASSET_PNAME[prog] = t
end
function rules.asset_param(name, program, ctx)
  local own = ASSET_PNAME[program]
  local pname = own and own[name] or "assets." .. program .. "." .. name
  local v = sa_param(pname)
  if v ~= nil then return v, pname end
  pname = ASSET_PNAME[""][name] or "assets." .. name
  return sa_param(pname), pname
end

-- "car, truck" -> { car = true, truck = true } (no pattern functions in the sandbox).
local function kind_set(text)
  local set, word = {}, ""
  for i = 1, #text + 1 do
    local c = i <= #text and string.sub(text, i, i) or ","
    if c == "," then
      if word ~= "" then set[word] = true end
      word = ""
    elseif c ~= " " then
      word = word .. c
    end
  end
  return set
end

-- Are the household's assets within the limits of `program` (tekun, dibao, edge, rigid)?
-- Returns v, reason, missing.
--
-- The national texts set no caps (Art. 14; 特困 Art. 7). Each cap is looked up per program
-- first (rules.asset_param: assets.<program>.<name>, then assets.<name>). A pack that sets any
-- cap for the program gets the numeric test on h.assets, every cap set must hold:
--   financial assets (deposits + securities + insurance) ≤ financial_per_capita_max × n and
--   ≤ financial_months × standard × n (n = counted members, at least 1; the standard is the
--   household's own, or the urban one when assets.financial_base = urban);
--   housing_units ≤ max_housing_units; non_residential_units ≤ max_non_residential_units;
--   vehicle_allowed false: every vehicle's kind must be in vehicle_kinds_allowed
--   (comma-separated; default motorcycle, e_bike, disability_vehicle: cars and trucks fail);
--   business_allowed false: no business registration.
-- Without caps the county's verdict `attested.assets_within_<program>_limits` is used; with
-- caps but no h.assets the verdict is used if given; otherwise undetermined. 特困 Art. 8's
-- 低收入家庭 asset rules are read as the edge limits (rules.member_supporter_unable).
-- The answer depends on h, the program and F (n, standard) only: with F it is computed once per
-- program and evaluation (F.assets_memo) and the same v, reason, missing are returned again.
local ATTESTED_NAME, ATTESTED_MISSING = {}, {}
-- memo keys (F.assets_memo, one flat table per evaluation: no table per entry)
local MEMO_V, MEMO_R, MEMO_M = {}, {}, {}
for _, prog in ipairs({ "tekun", "dibao", "edge", "rigid" }) do
  ATTESTED_NAME[prog] = "assets_within_" .. prog .. "_limits"
  ATTESTED_MISSING[prog] = { "household.attested.assets_within_" .. prog .. "_limits" }
  MEMO_V[prog], MEMO_R[prog], MEMO_M[prog] = prog .. ".v", prog .. ".r", prog .. ".m"
end
local M_ASSETS = { "household.assets" }
local UNKNOWN = {} -- memo marker for v == nil

function rules.assets_ok(h, ctx, program, F)
  local memo = F and F.assets_memo
  local kv, kr, km = MEMO_V[program] or program .. ".v", MEMO_R[program] or program .. ".r",
    MEMO_M[program] or program .. ".m"
  if memo then
    local hit = memo[kv]
    if hit ~= nil then
      if hit == UNKNOWN then hit = nil end
      return hit, memo[kr], memo[km]
    end
  end
  local v, r, miss = rules.assets_test(h, ctx, program, F)
  if F then
    if not memo then memo = {}; F.assets_memo = memo end
    if v == nil then memo[kv] = UNKNOWN else memo[kv] = v end
    memo[kr], memo[km] = r, miss
  end
  return v, r, miss
end

-- Append the names of the caps that are set (value non-nil) to params, in this order.
local function caps_used(params, ...)
  local n = select("#", ...)
  for i = 1, n, 2 do
    local v, pname = select(i, ...)
    if v ~= nil then params[#params + 1] = pname end
  end
  return params
end

-- One asset cap: its value (rules.asset_param), the name used appended to params when set.
-- (A file-level function, not a closure per call: docs/performance.md.)
local function asset_cap(params, name, program, ctx)
  local v, pname = rules.asset_param(name, program, ctx)
  if v ~= nil then params[#params + 1] = pname end
  return v
end

-- Add `what` to the list of failed kinds once.
local function asset_fail(fails, what)
  for i = 1, #fails do if fails[i] == what then return end end
  fails[#fails + 1] = what
end

-- rules.assets_ok without the memo (a child pack replacing the asset test replaces this one).
function rules.assets_test(h, ctx, program, F)
  local asset_param = rules.asset_param
  local per_capita, n1 = asset_param("financial_per_capita_max", program, ctx)
  local months, n2 = asset_param("financial_months", program, ctx)
  local housing, n3 = asset_param("max_housing_units", program, ctx)
  local non_residential, n4 = asset_param("max_non_residential_units", program, ctx)
  local vehicle, n5 = asset_param("vehicle_allowed", program, ctx)
  local business, n6 = asset_param("business_allowed", program, ctx)
  local any_cap = per_capita ~= nil or months ~= nil or housing ~= nil or non_residential ~= nil
    or vehicle ~= nil or business ~= nil
  local att_name = ATTESTED_NAME[program] or "assets_within_" .. program .. "_limits"
  local attested = h.attested and h.attested[att_name]
  if not any_cap or h.assets == nil then
    if attested == nil then
      if any_cap then return nil, nil, M_ASSETS end
      return nil, nil, ATTESTED_MISSING[program] or { "household.attested." .. att_name }
    end
    if attested then
      return true, sa.reason(R["assets.attested_ok"]), EMPTY
    end
    return false, sa.reason(R["assets.attested_over"]), EMPTY
  end
  -- the caps' names, in the order above, then the others the test reads
  local params = caps_used({}, per_capita, n1, months, n2, housing, n3, non_residential, n4, vehicle, n5,
    business, n6)
  F = F or rules.facts(h, ctx)
  local a = h.assets
  local n = F.n
  if n < 1 then n = 1 end
  local missing, fails = {}, {}
  local financial = a.deposits + a.securities + a.insurance
  if per_capita ~= nil and financial > per_capita * n then asset_fail(fails, "financial") end
  if months ~= nil then
    local base = asset_cap(params, "financial_base", program, ctx) or "own_area"
    local s, miss, sp = rules.standard(h, ctx, base == "urban" and "urban" or nil)
    rules.missing_add(params, sp)
    if s == nil then
      rules.missing_add(missing, miss)
    elseif financial > months * s * n then
      asset_fail(fails, "financial")
    end
  end
  if housing ~= nil and a.housing_units > housing then asset_fail(fails, "housing") end
  if non_residential ~= nil and a.non_residential_units > non_residential then asset_fail(fails, "non_residential") end
  if vehicle == false then
    local kinds_text = asset_cap(params, "vehicle_kinds_allowed", program, ctx)
    local kinds = kinds_text and kind_set(kinds_text) or DEFAULT_VEHICLE_KINDS
    for _, v in ipairs(a.vehicles) do
      if not kinds[v.kind] then asset_fail(fails, "vehicle"); break end
    end
  end
  if business == false and a.business_registration then asset_fail(fails, "business") end
  if #fails > 0 then
    local zh = {}
    for i, f in ipairs(fails) do zh[i] = ASSET_ZH[f] end
    return false, sa.reason_p(R["assets.over"], params, table.concat(zh, "、"), table.concat(fails, ", ")), EMPTY
  end
  if #missing > 0 then return nil, nil, missing end
  return true, sa.reason_p(R["assets.ok"], params), EMPTY
end

-- ------------------------------------------------------------------ reasons
-- Declared once when the pack loads (docs/rule-authors.md §5.5); sa.reason(R[...], ...) writes
-- one per household into libsa's buffer with its arguments, in the order of the names listed.
NN = sa.reason_def("not_needed", "以下事实或参数未知，但不影响本结论：{names}",
  "not needed for this outcome (unknown): {names}",
  "社会救助暂行办法 第十一条（审核确认以足以认定的事实为准）", nil, { "names" })
R["not_needed"] = NN
R["member.excluded"] = sa.reason_def("member.excluded", "{id}：在监狱服刑、强制隔离戒毒或被宣告失踪，不计入共同生活家庭成员",
  "{id}: in prison, in compulsory drug rehabilitation or declared missing; not counted",
  REF_MEMBERS_EX2, nil, { "id" })
R["member.religious_away"] = sa.reason_def("member.religious_away", "{id}：宗教教职人员连续三年以上脱离家庭独立生活，不计入",
  "{id}: religious personnel living apart from the family for 3 years or more; not counted",
  REF_MEMBERS_EX1, nil, { "id" })
R["member.applicant"] = sa.reason_def("member.applicant", "{id}：申请人本人，计入",
  "{id}: the applicant; counted",
  REF_MEMBERS, nil, { "id" })
R["member.minor_child"] = sa.reason_def("member.minor_child", "{id}：未成年子女（不论是否共同居住），计入",
  "{id}: minor child (whether or not living with the household); counted",
  REF_MEMBERS_2, nil, { "id" })
R["member.adult_dependent"] = sa.reason_def("member.adult_dependent", "{id}：成年但不能独立生活的子女，计入",
  "{id}: adult child who cannot live independently; counted",
  REF_MEMBERS_3, nil, { "id" })
R["member.student"] = sa.reason_def("member.student", "{id}：在校接受全日制本科及以下学历教育的成年子女，计入",
  "{id}: adult child in full-time education at bachelor level or below; counted",
  REF_MEMBERS_3, nil, { "id" })
R["member.postgraduate"] = sa.reason_def("member.postgraduate", "{id}：成年子女在读全日制研究生，不属于“全日制本科及以下学历教育”，且不共同生活，不计入",
  "{id}: adult child in full-time postgraduate education (beyond \"bachelor level or below\") living apart; not counted",
  REF_MEMBERS_3, nil, { "id" })
R["member.apart"] = sa.reason_def("member.apart", "{id}：不属于第七条（一）至（三）项，且未长期共同生活，不计入",
  "{id}: not under Art. 7 (1)-(3) and not living with the household long-term; not counted",
  REF_MEMBERS_4, nil, { "id" })
R["member.co_resident"] = sa.reason_def("member.co_resident", "{id}：与申请人长期共同生活、有法定赡养扶养抚养义务关系的家庭成员，计入",
  "{id}: lives with the household long-term, with a legal duty of support; counted",
  REF_MEMBERS_4, nil, { "id" })
R["member.tekun"] = sa.reason_def("member.tekun", "{id}：已认定为特困人员，由特困供养保障基本生活，不计入低保家庭",
  "{id}: recognised as tekun, supported by tekun; not counted in the dibao household",
  "社会救助暂行办法 第十五条第三款；特困人员认定办法（民发〔2021〕43号）第四条", nil, { "id" })
R["income.bounds"] = sa.reason_def("income.bounds", "家庭月收入在 {lo:yuan} 元至 {hi:yuan} 元之间（{names} 未知），无论取哪个值结论相同：{names} 不影响本结论",
  "household monthly income between {lo:yuan} and {hi:yuan} ({names} unknown); the same outcome at both: not needed for this outcome",
  REF_INCOME, nil, { "lo", "hi", "names" })
R["assets.attested_ok"] = sa.reason_def("assets.attested_ok", "经信息核对，家庭财产状况符合当地规定",
  "the county's information check found the household's assets within the local limits",
  REF_ASSETS, nil, nil)
R["assets.attested_over"] = sa.reason_def("assets.attested_over", "经信息核对，家庭财产状况不符合当地规定",
  "the county's information check found the household's assets above the local limits",
  REF_ASSETS, nil, nil)
R["member.spouse#apart"] = sa.reason_def("member.spouse", "{id}：配偶（不论是否共同居住），计入",
  "{id}: spouse (whether or not living together); counted", REF_MEMBERS_1, nil, { "id" })
R["member.spouse"] = sa.reason_def("member.spouse", "{id}：配偶，计入", "{id}: spouse; counted",
  REF_MEMBERS_1, nil, { "id" })
-- text built only for a caller that reads it (ctx.explain): the template is the text
R["income.employment_costs_not_deducted"] = sa.reason_def("income.employment_costs_not_deducted", "{zh}", "{en}",
  REF_INCOME, nil, { "zh", "en" })
R["income.member"] = sa.reason_def("income.member", "{zh}", "{en}", REF_INCOME, nil, { "zh", "en" })
R["assets.over"] = sa.reason_def("assets.over", "家庭财产超出当地规定（{kinds_zh}）",
  "household assets above the local limits ({kinds_en})", REF_ASSETS, nil, { "kinds_zh", "kinds_en" })
R["assets.ok"] = sa.reason_def("assets.ok", "家庭财产符合当地规定", "household assets within the local limits",
  REF_ASSETS, nil)
