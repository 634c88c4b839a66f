-- netkit's `unpwdb` library (ours, written from nmap's NSEDoc for
-- unpwdb; checked side by side with nmap 7.93 by
-- tests/integration/nse_cases/unpwdb.lua): iterators over username and
-- password lists. The lists are netkit's own (nselib/data/usernames.lst
-- and passwords.lst, provenance in their comment lines), or the files
-- named by the script arguments userdb and passdb; lines beginning
-- "#!comment:" are skipped, an empty line is the empty string.
local nmap = require "nmap"
local stdnse = require "stdnse"

local unpwdb = {}

local function seconds(spec)
  if type(spec) == "number" then return spec end
  local n, unit = tostring(spec):match("^%s*([%d.]+)%s*(%a*)%s*$")
  n = tonumber(n)
  if not n then return nil end
  local mult = ({[""] = 1, s = 1, ms = 0.001, m = 60, h = 3600})[unit]
  if not mult then return nil end
  local v = n * mult
  return math.tointeger(v) or v
end

--- The seconds a brute-force run may take: the script argument
-- unpwdb.timelimit, else 10 minutes (5 at -T4, 3 at -T5), as nmap's.
function unpwdb.timelimit()
  local arg = stdnse.get_script_args("unpwdb.timelimit")
  if arg then
    local s = seconds(arg)
    if s then return s end
  end
  local level = nmap.timing_level()
  if level >= 5 then return 180 elseif level == 4 then return 300 end
  return 600
end

local function load_list(argname, default)
  local path = stdnse.get_script_args(argname) or nmap.fetchfile(default)
  if not path then return nil end
  local f = io.open(path, "r")
  if not f then return nil end
  local list = {}
  for line in f:lines() do
    line = line:gsub("\r$", "")
    if not line:match("^#!comment:") then list[#list + 1] = line end
  end
  f:close()
  return list
end

local function iterator(list, time_limit, count_limit)
  local i, started = 0, nmap.clock()
  if count_limit and count_limit > 0 and count_limit < #list then
    local short = {}
    for k = 1, count_limit do short[k] = list[k] end
    list = short
  end
  return function(cmd)
    if cmd == "reset" then
      i = 0
      return nil
    end
    if time_limit and time_limit > 0 and nmap.clock() - started > time_limit then return nil end
    i = i + 1
    return list[i]
  end
end

local function make(kind, argname, limitarg, default, time_limit, count_limit)
  local list = load_list(argname, default)
  if not list then return false, ("Cannot read the %s list"):format(kind) end
  local limit = tonumber(stdnse.get_script_args(limitarg)) or count_limit
  return true, iterator(list, time_limit, limit)
end

--- true and an iterator over the usernames (it("reset") starts again).
function unpwdb.usernames(time_limit, count_limit)
  return make("username", "userdb", "unpwdb.userlimit", "nselib/data/usernames.lst",
    time_limit, count_limit)
end

--- true and an iterator over the passwords.
function unpwdb.passwords(time_limit, count_limit)
  return make("password", "passdb", "unpwdb.passlimit", "nselib/data/passwords.lst",
    time_limit, count_limit)
end

--- The values of iterator for which filter(value) is true.
function unpwdb.filter_iterator(iter, filter)
  return function(cmd)
    if cmd == "reset" then return iter("reset") end
    while true do
      local v = iter()
      if v == nil or filter(v) then return v end
    end
  end
end

--- The values of iter1, then those of iter2.
function unpwdb.concat_iterators(iter1, iter2)
  local first = true
  return function(cmd)
    if cmd == "reset" then
      first = true
      iter1("reset")
      iter2("reset")
      return nil
    end
    if first then
      local v = iter1()
      if v ~= nil then return v end
      first = false
    end
    return iter2()
  end
end

return unpwdb
