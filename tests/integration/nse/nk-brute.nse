description = [[
netkit's test of the brute library: a host script whose driver needs no
network (its login accepts made-up pairs, locks one account, retries one
guess once), run over the username and password lists the script
arguments userdb and passdb name.
]]
author = "netkit"
license = "GPL-2.0-or-later"
categories = {"safe"}

local brute = require "brute"
local creds = require "creds"
local nmap = require "nmap"

hostrule = function() return nmap.registry.args.userdb ~= nil end

local Driver = {
  new = function(self, host, port, options)
    local o = {host = host, port = port, options = options}
    setmetatable(o, self)
    self.__index = self
    return o
  end,
  connect = function(self) return true end,
  disconnect = function(self) return true end,
  login = function(self, username, password)
    if username == "admin" and password == "secret" then
      return true, creds.Account:new(username, password, creds.State.VALID)
    end
    if username == "guest" and password == "" then
      return true, creds.Account:new(username, password, creds.State.VALID)
    end
    if username == "locked" then
      local err = brute.Error:new("account locked")
      err:setInvalidAccount(username)
      return false, err
    end
    if username == "root" and password == "root" then
      return true, creds.Account:new(username, password, creds.State.LOCKED)
    end
    if username == "flaky" and not nmap.registry.nk_brute_retried then
      nmap.registry.nk_brute_retried = true
      local err = brute.Error:new("try again")
      err:setRetry(true)
      return false, err
    end
    return false, brute.Error:new("Incorrect password")
  end,
}

action = function(host)
  local engine = brute.Engine:new(Driver, host, {number = 1, protocol = "tcp", service = "nk"})
  engine.options.script_name = SCRIPT_NAME
  engine:setMaxThreads(1)
  local title = nmap.registry.args["nk-brute.title"]
  if title then engine.options:setTitle(title) end
  local status, result = engine:start()
  return result
end
