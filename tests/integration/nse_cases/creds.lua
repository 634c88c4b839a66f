-- creds, as nmap's NSEDoc documents it
creds.State
creds.StateMsg
creds.ALL_DATA
tostring(creds.Account:new("root", "secret", creds.State.VALID))
tostring(creds.Account:new("", "", creds.State.VALID))
tostring(creds.Account:new("root", "", creds.State.LOCKED))
tostring(creds.Account:new("root", "x", creds.State.DISABLED))
tostring(creds.Account:new("root", "x", creds.State.CHANGEPW))
tostring(creds.Account:new("root", "x", creds.State.PARAM))
tostring(creds.Account:new("root", "x", creds.State.EXPIRED))
tostring(creds.Account:new("root", "x", creds.State.LOCKED_VALID))
tostring(creds.Account:new("root", "x", 3))
tostring(creds.Account:new("root", "x"))
creds.Account:new("root", "secret", creds.State.VALID)
(function() local c = creds.Credentials:new("nk-lib", {ip = "10.0.0.1"}, {number = 22, protocol = "tcp", service = "ssh"}); local t = {}; for x in c:getCredentials(creds.State.VALID) do t[#t+1] = x end; return t end)()
(function() local c = creds.Credentials:new("nk-lib", {ip = "10.0.0.1"}, {number = 22, protocol = "tcp", service = "ssh"}); return c:getTable() end)()
(function() local c = creds.Credentials:new("other", {ip = "10.0.0.1"}, {number = 22, protocol = "tcp", service = "ssh"}); return c:getTable() end)()
(function() local c = creds.Credentials:new("nk-lib", {ip = "10.0.0.2"}); c:add("a", "b", creds.State.VALID); return c:getTable() end)()
(function() local c = creds.Credentials:new(creds.ALL_DATA, {ip = "10.0.0.1"}, {number = 22, protocol = "tcp", service = "ssh"}); return c:getTable() end)()
(function() local c = creds.Credentials:new("nk-lib", {ip = "10.0.0.9"}, {number = 22, protocol = "tcp", service = "ssh"}); return c:getTable() end)()
(function() local c = creds.Credentials:new("nk-lib", {ip = "10.0.0.1"}, {number = 23, protocol = "tcp", service = "telnet"}); c:add("", "", creds.State.VALID); local t = {}; for x in c:getCredentials(creds.State.VALID | creds.State.LOCKED) do t[#t+1] = x.user .. "/" .. x.pass .. "/" .. x.port end; return t, c:getTable() end)()
