-- rules/edge.lua — 低保边缘家庭 (dibao-edge households).
--
-- 最低生活保障审核确认办法（民发〔2021〕57号）第八条第二款; 2022 notice 一(四);
-- 国办发〔2023〕39号: a household that does not qualify for dibao, whose per-capita income is
-- below edge.income_multiple (1.5) × the local dibao standard, and whose assets are within the
-- local rules. Recognition only: no cash amount (amount nil).

local R = {} -- this file's reasons (sa.reason_def at the end of the file)

local REF = "最低生活保障审核确认办法（民发〔2021〕57号）第八条第二款；国办发〔2023〕39号"

-- Per-capita counted income below edge.income_multiple × S, compared exactly:
-- total × den < num × S × n. Returns v, reason, missing.
local param = rules.param
local EMPTY = sa.EMPTY
local P_MULTIPLE = { "edge.income_multiple" }

function rules.edge_income(h, ctx, F)
  local em = param(ctx, "edge.income_multiple")
  local S, total, n = F.standard, F.total_income, F.n
  if em ~= nil and S ~= nil and total == nil then
    local bv, br = rules.income_bounds(F, function(t) return t * em.den < em.num * S * n end)
    if bv ~= nil then return bv, br, EMPTY end
  end
  if em == nil or S == nil or total == nil then
    local miss = {}
    if em == nil then miss[1] = "param:edge.income_multiple" end
    rules.missing_add(miss, F.standard_missing)
    rules.missing_add(miss, F.income_missing)
    return nil, nil, miss
  end
  local params = P_MULTIPLE
  if #F.standard_params > 0 or #F.income_params > 0 then
    params = rules.missing_add(rules.missing_add({ "edge.income_multiple" }, F.standard_params), F.income_params)
  end
  local ok = total * em.den < em.num * S * n
  -- not being 低保 and the assets are further conditions
  F.edge_margin = rules.margin_below("edge.income", total, em.num, em.den, S * n, S, n, true)
  return ok, sa.reason_p(ok and R["edge.income.below"] or R["edge.income.not_below"], params, total, S), EMPTY
end

-- The edge program. Members: the counted members, less any covered by dibao on their own
-- (单人保, F.dibao_single): the rest of an edge household stays 边缘.
function rules.edge(h, ctx, F)
  local prog = { program = "edge", members = EMPTY, missing = EMPTY }
  if F.n == 0 and #F.membership_missing == 0 then
    prog.status = "ineligible"
    prog.reasons = sa.reason(R["edge.no_members"])
    return prog
  end
  local dv, dr, dm = F.dibao, nil, EMPTY -- not 低保
  if dv == true then
    dv, dr = false, sa.reason(R["edge.is_dibao"])
  elseif dv == false then
    dv, dr = true, sa.reason(R["edge.not_dibao"])
  else
    dv, dm = nil, F.dibao_missing or EMPTY
  end
  local iv, ir, im = rules.edge_income(h, ctx, F)
  prog.margin = F.edge_margin
  local av, ar, am = rules.assets_ok(h, ctx, "edge", F)
  local v, reasons, missing = rules.all3(dv, dr, dm, iv, ir, im, av, ar, am)
  prog.reasons = reasons
  if v == nil then
    prog.status = "undetermined"
    prog.missing = missing
    return prog
  end
  if v == false then
    prog.status = "ineligible"
    return prog
  end
  local ds, counted, members = F.dibao_single, F.counted, {}
  prog.members = members
  for i = 1, #counted do
    local id = counted[i].id
    local single = false
    if ds then
      for k = 1, #ds do if ds[k] == id then single = true; break end end
    end
    if not single then members[#members + 1] = id end
  end
  if #members == 0 then
    prog.status = "ineligible"
    prog.reasons = sa.reasons(reasons, sa.reason(R["edge.all_single"]))
    return prog
  end
  prog.status = "eligible"
  return prog
end

-- ------------------------------------------------------------------ reasons
-- Declared once when the pack loads (docs/rule-authors.md §5.5); sa.reason(R[...], ...) writes
-- one per household into libsa's buffer with its arguments, in the order of the names listed.
R["edge.no_members"] = sa.reason_def("edge.no_members", "没有计入的共同生活家庭成员",
  "no counted household member",
  "最低生活保障审核确认办法（民发〔2021〕57号）第七条", nil, nil)
R["edge.is_dibao"] = sa.reason_def("edge.is_dibao", "家庭符合低保条件，不属于低保边缘家庭",
  "the household qualifies for dibao; not a dibao-edge household",
  REF, nil, nil)
R["edge.not_dibao"] = sa.reason_def("edge.not_dibao", "家庭不符合低保条件",
  "the household does not qualify for dibao",
  REF, nil, nil)
R["edge.all_single"] = sa.reason_def("edge.all_single", "家庭成员均已单独纳入低保",
  "every member is covered by dibao on his or her own",
  "最低生活保障审核确认办法（民发〔2021〕57号）第八条", nil, nil)
R["edge.income.below"] = sa.reason_def("edge.income.below",
  "家庭月收入合计 {total:yuan} 元，人均低于低保标准 {S:yuan} 元的边缘倍数",
  "household monthly income {total:yuan}: per-capita below the edge multiple of the standard {S:yuan}",
  REF, nil, { "total", "S" })
R["edge.income.not_below"] = sa.reason_def("edge.income.not_below",
  "家庭月收入合计 {total:yuan} 元，人均不低于低保标准 {S:yuan} 元的边缘倍数",
  "household monthly income {total:yuan}: per-capita not below the edge multiple of the standard {S:yuan}",
  REF, nil, { "total", "S" })
