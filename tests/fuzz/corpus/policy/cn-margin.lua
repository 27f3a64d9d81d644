-- rules/margin.lua — distance of an income test to its threshold (docs/decision.md "margin").
--
-- A program decided by an income test carries `margin`: how much the compared quantity (the
-- household's total monthly counted income; for 刚性支出 its rigid spending of 12 months)
-- would have to change to flip that test, and in which direction. It describes that one test:
-- `other_conditions` says when the program has further conditions (assets, not being 低保 …),
-- so flipping the income test alone may not change the outcome. Explanations (sa explain) put
-- it in words; nothing here changes a status or an amount.

-- The test `value × den < num × base` (per-capita income below a multiple of a standard, exact).
-- `limit` is the smallest value that no longer passes: ceil(num × base / den).
-- Returns the margin table, or nil when no value can flip it (a limit of zero).
function rules.margin_below(test, value, num, den, base, standard, persons, other)
  local limit = sa.div(num * base, den, "up_fen")
  if limit <= 0 then return nil end
  local passes = value < limit
  local amount, direction
  if passes then
    amount, direction = limit - value, "up"
  else
    amount, direction = value - (limit - 1), "down"
  end
  return { test = test, basis = "income", value = value, limit = limit, op = "<", passes = passes,
           amount = amount, direction = direction, other_conditions = other,
           standard = standard, persons = persons, num = num, den = den }
end

-- The test `spending × den > num × annual` (or ≥ with `inclusive`): rigid spending above a
-- share of the household's annual income. `limit` is the share in fen (ceil when inclusive,
-- floor otherwise), the amount spending must exceed (or reach).
function rules.margin_above(test, spending, num, den, annual, inclusive, other)
  local limit, passes, amount, direction
  if inclusive then
    limit = sa.div(num * annual, den, "up_fen")
    passes = spending >= limit
    if passes then amount, direction = spending - limit + 1, "down" else amount, direction = limit - spending, "up" end
  else
    limit = sa.div(num * annual, den, "down_fen")
    passes = spending > limit
    if passes then amount, direction = spending - limit, "down" else amount, direction = limit + 1 - spending, "up" end
  end
  if amount > spending and direction == "down" then return nil end
  return { test = test, basis = "rigid_spending", value = spending, limit = limit, op = inclusive and ">=" or ">",
           passes = passes, amount = amount, direction = direction, other_conditions = other,
           base = annual, num = num, den = den }
end
