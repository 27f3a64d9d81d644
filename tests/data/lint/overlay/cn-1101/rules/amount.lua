-- The city doubles the province's amount, which itself calls the national one:
-- (standard + 20) * 2.
function rules.amount(h, ctx)
  return super.amount(h, ctx) * 2
end
