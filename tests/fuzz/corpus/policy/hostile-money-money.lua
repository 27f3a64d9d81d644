-- Money that would wrap around 2^63 (issue 12 #1). sa.add and sa.sum raise on overflow;
-- an amount beyond 10^13 yuan is refused when the result is read. amount = checks passed.
function rules.evaluate(h, ctx)
  local ok = 0
  if not pcall(sa.add, math.maxinteger, 1) then ok = ok + 1 end
  if not pcall(sa.sum, { math.maxinteger // 2, math.maxinteger // 2, 10 }) then ok = ok + 1 end
  if not pcall(sa.add, 1000000000000000, 1) then ok = ok + 1 end
  if not pcall(sa.add, 1, 1.5) then ok = ok + 1 end
  if sa.add(1, 2, 3) == 6 and sa.sum({ 100, 200 }) == 300 and sa.sum({}) == 0 then ok = ok + 1 end
  if not pcall(sa.mul, math.maxinteger, { num = 3, den = 1 }, "down_fen") then ok = ok + 1 end
  if h.id == "huge" then return rules.result(h, math.maxinteger) end
  return rules.result(h, ok)
end
