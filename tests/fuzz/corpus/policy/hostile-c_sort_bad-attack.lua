function rules.evaluate(h, ctx)
  local t = {} for i = 1, 5000 do t[i] = (i * 7919) % 5000 end table.sort(t, function(a, b) return true end) table.sort(t, function(a, b) while true do end end)
  return rules.result(h, 1)
end
