function rules.evaluate(h, ctx)
  local s = string.rep("x", 1 << 20) while true do local t = s:byte(1, -1) end
  return rules.result(h, 1)
end
