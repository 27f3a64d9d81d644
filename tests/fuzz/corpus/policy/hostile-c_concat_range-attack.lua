function rules.evaluate(h, ctx)
  local s = table.concat({}, "", 1, 1 << 40)
  return rules.result(h, 1)
end
