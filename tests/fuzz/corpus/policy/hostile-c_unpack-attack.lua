function rules.evaluate(h, ctx)
  local a = table.unpack({}, 1, 1 << 30)
  return rules.result(h, 1)
end
