-- tableaux, as nmap's NSEDoc documents it
tableaux.tcopy({1, {2, {3}}, a = {b = "c"}})
tableaux.shallow_tcopy({1, {2}, a = "b"})
tableaux.invert({"a", "b", x = "c"})
tableaux.invert({})
tableaux.contains({"a", "b", "c"}, "b")
tableaux.contains({"a", "b", "c"}, "z")
tableaux.contains({x = "a", y = "b"}, "b")
tableaux.contains({x = "a", [1] = "b"}, "a", true)
tableaux.contains({"a", "b"}, "b", true)
tableaux.contains({}, nil)
#tableaux.keys({a = 1, b = 2, 3})
do local t = {a = 1}; local c = tableaux.tcopy(t); c.a = 2; assert(t.a == 1) end
do local inner = {}; local t = {inner}; assert(tableaux.shallow_tcopy(t)[1] == inner) end
do local inner = {}; local t = {inner}; assert(tableaux.tcopy(t)[1] ~= inner) end
(function() local k = tableaux.keys({a = 1, b = 2, c = 3}); table.sort(k); return k end)()
