function rules.evaluate(h, ctx)
  local function f(n) return f(n + 1) + 1 end
  return rules.result(h, f(1))
end
