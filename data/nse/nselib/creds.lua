-- netkit's `creds` library (ours, written from nmap's NSEDoc for creds;
-- checked side by side with nmap 7.93 by
-- tests/integration/nse_cases/creds.lua): credentials that scripts
-- find, kept in nmap.registry.creds for other scripts (and for
-- creds-summary-like post-scan scripts) to use.
local nmap = require "nmap"

local creds = {}

creds.State = {
  LOCKED = 1, VALID = 2, DISABLED = 4, CHANGEPW = 8, PARAM = 16, EXPIRED = 32,
  TIME_RESTRICTED = 64, HOST_RESTRICTED = 128, LOCKED_VALID = 256, DISABLED_VALID = 512,
  HASHED = 1024,
}

creds.StateMsg = {
  [1] = "Account is locked",
  [2] = "Valid credentials",
  [4] = "Account is disabled",
  [8] = "Valid credentials, password must be changed at next logon",
  [16] = "Credentials passed to script during Nmap execution",
  [32] = "Valid credentials, account expired",
  [64] = "Valid credentials, account cannot log in at current time",
  [128] = "Valid credentials, account cannot log in from current host",
  [256] = "Valid credentials, account locked",
  [512] = "Valid credentials, account disabled",
  [1024] = "Hashed valid or invalid credentials",
}

--- Asks for every script's credentials (Credentials:new's scriptname).
creds.ALL_DATA = {}

local Account = {}
creds.Account = Account

--- An account: username, password and its state (as creds.StateMsg's
-- text); tostring gives "user:pass - state", an empty password "<empty>".
function Account:new(username, password, state)
  local o = {username = username, password = password, state = creds.StateMsg[state] or state}
  setmetatable(o, self)
  self.__index = self
  return o
end

function Account:__tostring()
  local pass = self.password ~= "" and self.password or "<empty>"
  local s = ("%s:%s"):format(self.username, pass)
  if self.state ~= nil then s = s .. " - " .. tostring(self.state) end
  return s
end

function Account.__lt(a, b) return tostring(a.state) < tostring(b.state) end

local Credentials = {}
creds.Credentials = Credentials

--- The credentials of scriptname (or creds.ALL_DATA) for host and port.
function Credentials:new(scriptname, host, port)
  local o = {scriptname = scriptname, host = host, port = port}
  setmetatable(o, self)
  self.__index = self
  return o
end

local function store()
  nmap.registry.creds = nmap.registry.creds or {}
  return nmap.registry.creds
end

--- Records username and password with a creds.State value (an empty
-- password as "<empty>", as nmap's).
function Credentials:add(username, password, state)
  assert(self.port, "No port supplied")
  local list = store()
  list[#list + 1] = {
    tags = {self.scriptname}, host = self.host, port = self.port.number,
    service = self.port.service, user = username,
    pass = password == "" and "<empty>" or password, state = state,
  }
end

local function mine(self, r, state)
  if self.scriptname ~= creds.ALL_DATA then
    local found = false
    for _, t in ipairs(r.tags) do found = found or t == self.scriptname end
    if not found then return false end
  end
  if self.host and (type(r.host) ~= "table" or r.host.ip ~= self.host.ip) then return false end
  if self.port and r.port ~= self.port.number then return false end
  return state == nil or (r.state or 0) & state ~= 0
end

--- An iterator over the stored records (host, port, service, user,
-- pass, state, tags), those with a state in the bit mask state only.
function Credentials:getCredentials(state)
  local list, i = store(), 0
  return function()
    while true do
      i = i + 1
      local r = list[i]
      if r == nil then return nil end
      if mine(self, r, state) then return r end
    end
  end
end

--- The credentials as a list of Accounts (nil when there are none).
function Credentials:getTable()
  local out = {}
  for r in self:getCredentials() do
    out[#out + 1] = Account:new(r.user ~= "" and r.user or nil, r.pass, r.state)
  end
  if #out == 0 then return nil end
  table.sort(out, function(a, b)
    if a.state ~= b.state then return tostring(a.state) < tostring(b.state) end
    if a.username ~= b.username then return tostring(a.username) < tostring(b.username) end
    return tostring(a.password) < tostring(b.password)
  end)
  return out
end

return creds
