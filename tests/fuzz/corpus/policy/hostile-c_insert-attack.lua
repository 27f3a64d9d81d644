function rules.evaluate(h, ctx)
  local t = {} for i = 1, 200000 do t[i] = i end while true do table.insert(t, 1, 0); table.remove(t, 1) end
  return rules.result(h, 1)
end
