function rules.evaluate(h, ctx)
  local r = rules.result(h, 1)
  local long = string.rep("理", 400)
  for i = 1, 2000 do
    r.programs[1].reasons[i] = { id = "r" .. i, zh = long, en = "x" }
  end
  return r
end
