-- A memory error cannot be swallowed by pcall either.
function rules.evaluate(h, ctx)
  local keep = {}
  while true do
    pcall(function() while true do keep[#keep + 1] = string.rep("y", 1000) .. #keep end end)
  end
end
