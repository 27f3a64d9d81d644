function rules.evaluate(h, ctx)
  local t = {} for i = 1, 100000 do t["k" .. i] = i end while true do local k = next(t) end
  return rules.result(h, 1)
end
