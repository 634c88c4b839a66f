-- netkit's `brute` library (ours, written from nmap's NSEDoc for brute:
-- Engine, Options, Error and Account as a brute-force script uses them;
-- its guess order and output checked side by side with nmap 7.93 by
-- tests/integration/test_nmap_nse_libs.py's nk-brute runs). The guesses
-- run one after another (nmap's several worker threads are not here:
-- setMaxThreads is accepted and has no effect).
local creds = require "creds"
local nmap = require "nmap"
local stdnse = require "stdnse"
local unpwdb = require "unpwdb"

local brute = {}

brute.Account = creds.Account

local function flag(name, default)
  local v = stdnse.get_script_args("brute." .. name)
  if v == nil then return default end
  return v ~= "false" and v ~= "0" and v ~= false
end

local Options = {}
brute.Options = Options

--- The engine's options, from the brute.* script arguments.
function Options:new()
  local o = {
    mode = stdnse.get_script_args("brute.mode") or "pass",
    firstonly = flag("firstonly", false),
    passonly = flag("passonly", false),
    useraspass = flag("useraspass", true),
    emptypass = flag("emptypass", false),
    max_retries = tonumber(stdnse.get_script_args("brute.retries")) or 2,
    delay = tonumber(stdnse.get_script_args("brute.delay")) or 0,
    max_guesses = tonumber(stdnse.get_script_args("brute.guesses")) or 0,
    credfile = stdnse.get_script_args("brute.credfile"),
    nostore = flag("nostore", false),
    title = nil,
  }
  setmetatable(o, self)
  self.__index = self
  return o
end

function Options:setOption(param, value) self[param] = value end
function Options:setTitle(title) self.title = title end

local Error = {}
brute.Error = Error

--- An error a driver's login returns; its flags tell the engine to
-- retry the guess, drop the account, or stop.
function Error:new(msg)
  local o = {msg = msg, retry = false, abort = false, done = false, reduce = false}
  setmetatable(o, self)
  self.__index = self
  return o
end

function Error:isRetry() return self.retry end
function Error:setRetry(r) self.retry = r end
function Error:isAbort() return self.abort end
function Error:setAbort(a) self.abort = a end
function Error:isDone() return self.done end
function Error:setDone(d) self.done = d end
function Error:isReduce() return self.reduce end
function Error:setReduce(r) self.reduce = r end
function Error:setInvalidAccount(username) self.invalid_account = username end
function Error:isInvalidAccount() return self.invalid_account ~= nil end
function Error:__tostring() return tostring(self.msg) end

local Engine = {}
brute.Engine = Engine

--- An engine guessing through driver (a class with new(host, port,
-- options), connect, login(user, pass), disconnect).
function Engine:new(driver, host, port, options)
  local o = {
    driver = driver, host = host, port = port, driver_options = options,
    options = Options:new(), max_threads = 1, found = {}, invalid = {}, tries = {},
    accounts = {}, counter = 0,
  }
  setmetatable(o, self)
  self.__index = self
  return o
end

function Engine:setMaxThreads(n) self.max_threads = n end
function Engine:setUsernameIterator(it) self.usernames = it end
function Engine:setPasswordIterator(it) self.passwords = it end

local function collect(it)
  local list = {}
  if not it then return list end
  it("reset")
  for v in it do list[#list + 1] = v end
  return list
end

local function credfile_pairs(path)
  local out = {}
  local f = path and io.open(path)
  if not f then return out end
  for line in f:lines() do
    local u, p = line:match("^([^/]*)/(.*)$")
    if u then out[#out + 1] = {u, p} end
  end
  f:close()
  return out
end

-- the guesses in nmap's order for the mode
function Engine:guesses(users, passes)
  local o, out = self.options, {}
  if o.passonly then
    for _, p in ipairs(passes) do out[#out + 1] = {"", p} end
    return out
  end
  if o.mode == "creds" then return credfile_pairs(o.credfile) end
  if o.useraspass then
    for _, u in ipairs(users) do out[#out + 1] = {u, u} end
  end
  if o.emptypass then
    for _, u in ipairs(users) do out[#out + 1] = {u, ""} end
  end
  if o.mode == "user" then
    for _, u in ipairs(users) do
      for _, p in ipairs(passes) do out[#out + 1] = {u, p} end
    end
  else
    for _, p in ipairs(passes) do
      for _, u in ipairs(users) do out[#out + 1] = {u, p} end
    end
  end
  return out
end

-- one guess, retried as the driver asks: "found", "fail", "stop" or nil
function Engine:try(user, pass)
  for _ = 0, self.options.max_retries do
    local d = self.driver:new(self.host, self.port, self.driver_options)
    local ok = d:connect()
    if ok then
      local status, res = d:login(user, pass)
      d:disconnect()
      if status then
        self.counter = self.counter + 1
        return "found", res
      end
      if type(res) ~= "table" or not res.isRetry or not res:isRetry() then
        self.counter = self.counter + 1
        if type(res) == "table" and res.isAbort then
          if res:isAbort() or res:isDone() then return "stop", res end
          if res:isInvalidAccount() then self.invalid[res.invalid_account] = true end
        end
        return "fail", res
      end
    end
    if self.options.delay > 0 then stdnse.sleep(self.options.delay) end
  end
  return "fail"
end

function Engine:record(account)
  local acc = creds.Account:new(account.username, account.password, nil)
  acc.state = account.state
  if acc.password == "" then acc.password = "<empty>" end
  self.accounts[#self.accounts + 1] = acc
  stdnse.debug1("Discovered account: %s", tostring(acc))
  if not self.options.nostore and self.port and self.port.number then
    local c = creds.Credentials:new(self.options.script_name or "brute", self.host, self.port)
    local state
    for k, msg in pairs(creds.StateMsg) do
      if msg == account.state then state = k end
    end
    c:add(account.username, account.password, state or creds.State.VALID)
  end
end

function Engine:output(seconds)
  local out = stdnse.output_table()
  local title = self.options.title or "Accounts"
  if #self.accounts == 0 then
    out[title] = "No valid accounts found"
  else
    local order = {}
    for i, a in ipairs(self.accounts) do order[a] = i end
    table.sort(self.accounts, function(a, b)
      if a.state ~= b.state then return tostring(a.state) < tostring(b.state) end
      return order[a] < order[b]
    end)
    out[title] = self.accounts
  end
  local secs = math.max(1, math.floor(seconds + 0.5))
  out.Statistics = ("Performed %d guesses in %d seconds, average tps: %.1f"):format(
    self.counter, secs, self.counter / secs)
  if self.options.max_guesses > 0 then
    out.Information = ("Guesses restricted to %d tries per account to avoid lockout"):format(
      self.options.max_guesses)
  end
  return out
end

--- Runs the guesses; true and the output table (accounts found and the
-- statistics), or false and an error.
function Engine:start()
  local started = nmap.clock()
  if not self.usernames then
    local ok, it = unpwdb.usernames()
    if not ok then return false, it end
    self.usernames = it
  end
  if not self.passwords then
    local ok, it = unpwdb.passwords()
    if not ok then return false, it end
    self.passwords = it
  end
  local list = self:guesses(collect(self.usernames), collect(self.passwords))
  local max = self.options.max_guesses
  for _, g in ipairs(list) do
    local u, p = g[1], g[2]
    if not self.found[u] and not self.invalid[u] and (max <= 0 or (self.tries[u] or 0) < max) then
      self.tries[u] = (self.tries[u] or 0) + 1
      local what, res = self:try(u, p)
      if what == "found" then
        self:record(res)
        if not self.options.passonly then self.found[u] = true end
        if self.options.firstonly then break end
      elseif what == "stop" then
        if res:isAbort() then return false, tostring(res) end
        break
      end
    end
  end
  return true, self:output(nmap.clock() - started)
end

return brute
