function rules.evaluate(h, ctx)
  local s = ("ab"):rep(1 << 30, ",")
  return rules.result(h, 1)
end
