description = [[
Guesses FTP logins (USER and PASS, RFC 959: 230 accepted, 530 refused)
with the brute library over the unpwdb lists (netkit's own, or those the
userdb and passdb arguments name), in nmap's guess order and output
("Accounts:" and "Statistics:"). Accounts found go to the creds
registry. netkit's script; its guesses run one after another.
]]

---
-- @args ftp-brute.timeout the socket timeout (5s by default)

author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"intrusive", "brute"}

local brute = require "brute"
local creds = require "creds"
local ftp = require "ftp"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.port_or_service(21, "ftp")

local Driver = {}

function Driver:new(host, port)
  local o = {host = host, port = port}
  setmetatable(o, self)
  self.__index = self
  return o
end

function Driver:connect()
  self.c = ftp.connect(self.host, self.port)
  return self.c ~= nil
end

function Driver:login(user, pass)
  local code = ftp.command(self.c, "USER " .. user)
  if code == 331 then code = ftp.command(self.c, "PASS " .. pass) end
  if code == 230 then return true, creds.Account:new(user, pass, creds.State.VALID) end
  if code == 530 or code == 331 then return false, brute.Error:new("Incorrect password") end
  local err = brute.Error:new("Unexpected FTP reply " .. tostring(code))
  err:setRetry(true)
  return false, err
end

function Driver:disconnect()
  if self.c then
    ftp.command(self.c, "QUIT")
    self.c.sock:close()
  end
  return true
end

action = function(host, port)
  local engine = brute.Engine:new(Driver, host, port)
  engine.options.script_name = SCRIPT_NAME
  local status, result = engine:start()
  return result
end
