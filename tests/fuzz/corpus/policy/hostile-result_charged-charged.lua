-- Results that are cheap in Lua and costly in C (issue 12 #3): the C passes over them are
-- charged to the instruction budget, so the instruction and time limits cover them.
-- `names` is built once while loading (a frozen constant); rules.evaluate hands the same list
-- of 5,000 names to 100 programs (500,000 names for the C union of missing facts, a few
-- hundred Lua instructions). rules.shared_map returns 90 references to one 1,000-key map
-- (90,091 values for C to convert and sort, about 6,000 Lua instructions).
local names = {}
for i = 1, 5000 do names[i] = "same" end
function rules.evaluate(h, ctx)
  local r = rules.result(h, 1)
  for i = 2, 101 do
    r.programs[i] = { program = "p" .. i, status = "undetermined", members = { h.members[1].id }, missing = names }
  end
  return r
end
function rules.shared_map(h, arg, ctx)
  local leaf, m = {}, {}
  for i = 1, 1000 do leaf["k" .. i] = i end
  for i = 1, 90 do m["m" .. i] = leaf end
  return m
end
