-- Results one past a limit (issue 12 #3): refused with an error naming the limit, before C
-- reads any of it. rules.evaluate names 100,001 missing facts (SA_RESULT_MAX_LIST);
-- rules.over_map returns a map of 100,001 keys (SA_RESULT_MAX_ITEMS).
function rules.evaluate(h, ctx)
  local a = {}
  for i = 1, 100001 do a[i] = "f" .. i end
  local r = rules.result(h, 1)
  r.programs[1].missing = a
  return r
end
function rules.over_map(h, arg, ctx)
  local m = {}
  for i = 1, 100001 do m["k" .. i] = i end
  return m
end
