-- Large results (issue 12 #3): every C-side pass over them is linear. rules.evaluate names
-- 100,000 missing facts (half of them repeated, also across programs); rules.big_map returns
-- a map of 99,999 keys.
function rules.evaluate(h, ctx)
  local a, b = {}, {}
  for i = 1, 50000 do a[#a + 1] = "f" .. i; a[#a + 1] = "f" .. (i // 2 + 1) end
  for i = 1, 1000 do b[#b + 1] = "g" .. (1000 - i); b[#b + 1] = "f" .. i end
  local r = rules.result(h, 1)
  r.programs[1].missing = a
  r.programs[2] = { program = "edge", status = "undetermined", members = { h.members[1].id }, missing = b }
  return r
end
function rules.big_map(h, arg, ctx)
  local m = {}
  for i = 1, 99999 do m["k" .. i] = i end
  return m
end
