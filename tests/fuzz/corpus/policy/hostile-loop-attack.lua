function rules.evaluate(h, ctx)
  while true do end
end
