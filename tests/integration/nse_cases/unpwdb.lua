-- unpwdb, as nmap's NSEDoc documents it, on the lists in data/
type(unpwdb.usernames), type(unpwdb.passwords), type(unpwdb.timelimit), type(unpwdb.filter_iterator), type(unpwdb.concat_iterators)
unpwdb.timelimit()
do nmap.registry.args.userdb = CASEDIR .. "/data/users.lst"; nmap.registry.args.passdb = CASEDIR .. "/data/pass.lst" end
(function() local ok, it = unpwdb.usernames(); local t = {}; for u in it do t[#t+1] = u end; return ok, t end)()
(function() local ok, it = unpwdb.passwords(); local t = {}; for u in it do t[#t+1] = u end; return ok, t end)()
(function() local ok, it = unpwdb.usernames(); local a = it(); local b = it(); it("reset"); return a, b, it() end)()
(function() local ok, it = unpwdb.usernames(nil, 2); local t = {}; for u in it do t[#t+1] = u end; return t end)()
(function() local ok, it = unpwdb.usernames(0); local t = {}; for u in it do t[#t+1] = u end; return t end)()
(function() local _, a = unpwdb.usernames(); local _, b = unpwdb.passwords(); local it = unpwdb.concat_iterators(a, b); local t = {}; for u in it do t[#t+1] = u end; it("reset"); return t, it() end)()
(function() local _, a = unpwdb.usernames(); local it = unpwdb.filter_iterator(a, function(u) return #u > 4 end); local t = {}; for u in it do t[#t+1] = u end; return t end)()
do nmap.registry.args["unpwdb.userlimit"] = "1" end
(function() local ok, it = unpwdb.usernames(); local t = {}; for u in it do t[#t+1] = u end; return t end)()
do nmap.registry.args["unpwdb.timelimit"] = "30m" end
unpwdb.timelimit()
do nmap.registry.args["unpwdb.timelimit"] = "45" end
unpwdb.timelimit()
