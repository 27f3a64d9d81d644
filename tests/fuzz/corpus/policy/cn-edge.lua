-- rules/edge.lua — 低保边缘家庭 (dibao-edge households).
--
-- 最低生活保障审核确认办法（民发〔2021〕57号）第八条第二款; 2022 notice 一(四);
-- 国办发〔2023〕39号: a household that does not qualify for dibao, whose per-capita income is
-- below edge.income_multiple (1.5) × the local dibao standard, and whose assets are within the
-- local rules. Recognition only: no cash amount (amount nil).

local REF = "最低生活保障审核确认办法（民发〔2021〕57号）第八条第二款；国办发〔2023〕39号"

-- Per-capita counted income below edge.income_multiple × S, compared exactly:
-- total × den < num × S × n. Returns v, reason, missing.
local param = rules.param

function rules.edge_income(h, ctx, F)
  local em = param(ctx, "edge.income_multiple")
  local S, total, n = F.standard, F.total_income, F.n
  if em ~= nil and S ~= nil and total == nil then
    local bv, br = rules.income_bounds(F, function(t) return t * em.den < em.num * S * n end)
    if bv ~= nil then return bv, br, {} end
  end
  if em == nil or S == nil or total == nil then
    local miss = {}
    if em == nil then miss[1] = "param:edge.income_multiple" end
    rules.missing_add(miss, F.standard_missing)
    rules.missing_add(miss, F.income_missing)
    return nil, nil, miss
  end
  local params = { "edge.income_multiple" }
  rules.missing_add(params, F.standard_params)
  rules.missing_add(params, F.income_params)
  local ok = total * em.den < em.num * S * n
  -- not being 低保 and the assets are further conditions
  F.edge_margin = rules.margin_below("edge.income", total, em.num, em.den, S * n, S, n, true)
  return ok, rules.reason(ok and "edge.income.below" or "edge.income.not_below",
    ok and "家庭月收入合计 {total:yuan} 元，人均低于低保标准 {S:yuan} 元的边缘倍数"
      or "家庭月收入合计 {total:yuan} 元，人均不低于低保标准 {S:yuan} 元的边缘倍数",
    ok and "household monthly income {total:yuan}: per-capita below the edge multiple of the standard {S:yuan}"
      or "household monthly income {total:yuan}: per-capita not below the edge multiple of the standard {S:yuan}",
    REF, params, ctx.explain ~= false and { total = total, S = S } or nil), {}
end

-- The edge program. Members: the counted members, less any covered by dibao on their own
-- (单人保, F.dibao_single): the rest of an edge household stays 边缘.
function rules.edge(h, ctx, F)
  local prog = { program = "edge", members = {}, reasons = {}, missing = {} }
  if F.n == 0 and #F.membership_missing == 0 then
    prog.status = "ineligible"
    prog.reasons[1] = rules.reason("edge.no_members", "没有计入的共同生活家庭成员", "no counted household member",
      "最低生活保障审核确认办法（民发〔2021〕57号）第七条")
    return prog
  end
  local not_dibao
  if F.dibao == true then
    not_dibao = { false, rules.reason("edge.is_dibao", "家庭符合低保条件，不属于低保边缘家庭",
      "the household qualifies for dibao; not a dibao-edge household", REF), {} }
  elseif F.dibao == false then
    not_dibao = { true, rules.reason("edge.not_dibao", "家庭不符合低保条件", "the household does not qualify for dibao", REF), {} }
  else
    not_dibao = { nil, nil, F.dibao_missing or {} }
  end
  local iv, ir, im = rules.edge_income(h, ctx, F)
  prog.margin = F.edge_margin
  local av, ar, am = rules.assets_ok(h, ctx, "edge", F)
  local v, reasons, missing = rules.all_of({ not_dibao, { iv, ir, im }, { av, ar, am } })
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
  local ds, counted, members = F.dibao_single, F.counted, prog.members
  for i = 1, #counted do
    local id = counted[i].id
    local single = false
    if ds then
      for k = 1, #ds do if ds[k] == id then single = true; break end end
    end
    if not single then members[#members + 1] = id end
  end
  if #prog.members == 0 then
    prog.status = "ineligible"
    prog.reasons[#prog.reasons + 1] = rules.reason("edge.all_single",
      "家庭成员均已单独纳入低保", "every member is covered by dibao on his or her own",
      "最低生活保障审核确认办法（民发〔2021〕57号）第八条")
    return prog
  end
  prog.status = "eligible"
  return prog
end
