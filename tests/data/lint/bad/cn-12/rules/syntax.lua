function rules.evaluate(h, ctx)
  return {
end
