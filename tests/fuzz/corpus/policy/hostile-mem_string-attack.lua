function rules.evaluate(h, ctx)
  local s = "x"
  while true do s = s .. s end
end
