function rules.evaluate(h, ctx)
  local s = string.rep("x", 1 << 20) while true do local t = string.format("%s", s) end
  return rules.result(h, 1)
end
