-- line 1
function rules.tekun(h, ctx)
  return { program = "tekun" status = "eligible" }
end
