-- Results that raise half way through their conversion to documents (a fractional number, a
-- non-text key, a function) deep inside nested lists and maps: nothing may leak.
function rules.nested_fraction(h, arg, ctx)
  return { a = { b = { c = { 1, 2, { d = "x", e = 1.5 } } } }, z = "after" }
end
function rules.nested_key(h, arg, ctx)
  return { list = { { x = 1 }, { y = { [1.5] = true, k = "v" } } } }
end
function rules.nested_function(h, arg, ctx)
  return { { 1 }, { { { print = tostring } } } }
end
