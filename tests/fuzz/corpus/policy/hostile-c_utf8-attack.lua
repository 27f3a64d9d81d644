function rules.evaluate(h, ctx)
  local s = string.rep("é", 500000) while true do local n = utf8.len(s) end
  return rules.result(h, 1)
end
