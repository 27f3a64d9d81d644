-- The province adds 20 yuan to the national amount.
function rules.amount(h, ctx)
  return super.amount(h, ctx) + 2000
end
