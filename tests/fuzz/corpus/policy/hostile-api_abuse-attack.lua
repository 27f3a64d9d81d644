-- Every sa.* helper with wrong types and extreme values: errors, never a crash.
function rules.evaluate(h, ctx)
  local bad = { {}, "x", -1, 0, math.maxinteger, math.mininteger, 1.5, true, 0/0, 1e308, "20250101" }
  local fns = { "param", "param_at", "mul", "div", "round", "age", "add_months", "yuan", "date_text" }
  local ok = 0
  for _, n in ipairs(fns) do
    for _, a in ipairs(bad) do
      for _, b in ipairs(bad) do
        if pcall(sa[n], a, b, a) then ok = ok + 1 end
        if pcall(sa[n], a, b, "up_yuan") then ok = ok + 1 end
      end
    end
  end
  pcall(sa.mul, math.maxinteger, { num = math.maxinteger, den = 1 }, "up_fen")
  pcall(sa.div, math.mininteger, 1, "down_fen")
  local r = sa.param("test.amount")
  return rules.result(h, r + #h.members)
end
