-- defines helpers but no rules.evaluate
function rules.helper(h) return 1 end
