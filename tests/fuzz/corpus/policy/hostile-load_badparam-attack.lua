function rules.evaluate(h, ctx) return rules.result(h, 1) end
