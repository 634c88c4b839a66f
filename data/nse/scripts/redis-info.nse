description = [[
Asks a Redis server for INFO, CONFIG GET bind and CLIENT LIST (the RESP
protocol's inline commands) and shows its version, system, process,
CPU, clients, memory and role, the addresses it binds and where its
clients connect from. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "safe"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.port_or_service(6379, "redis")

-- one RESP reply: a string, a list, or nil, error
local function reply(sock, st)
  local function line()
    while not st.buf:find("\r\n", 1, true) do
      local ok, d = sock:receive()
      if not ok then return nil end
      st.buf = st.buf .. d
    end
    local l, rest = st.buf:match("^(.-)\r\n(.*)$")
    st.buf = rest
    return l
  end
  local l = line()
  if not l then return nil end
  local t, v = l:sub(1, 1), l:sub(2)
  if t == "+" or t == ":" then return v end
  if t == "-" then return nil, v end
  if t == "$" then
    local n = tonumber(v)
    if n < 0 then return nil end
    while #st.buf < n + 2 do
      local ok, d = sock:receive()
      if not ok then return nil end
      st.buf = st.buf .. d
    end
    local s = st.buf:sub(1, n)
    st.buf = st.buf:sub(n + 3)
    return s
  end
  if t == "*" then
    local out = {}
    for i = 1, tonumber(v) do out[i] = reply(sock, st) end
    return out
  end
  return nil
end

local FIELDS = {
  {"redis_version", "Version"}, {"os", "Operating System"},
  {"arch_bits", "Architecture", " bits"}, {"process_id", "Process ID"},
  {"used_cpu_sys", "Used CPU (sys)"}, {"used_cpu_user", "Used CPU (user)"},
  {"connected_clients", "Connected clients"}, {"connected_slaves", "Connected slaves"},
  {"used_memory_human", "Used memory"}, {"role", "Role"},
}

action = function(host, port)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  local st = {buf = ""}
  sock:send("INFO\r\n")
  local info, err = reply(sock, st)
  if type(info) ~= "string" then
    sock:close()
    if err and err:find("NOAUTH") then return "Authentication required" end
    return nil
  end
  local kv = {}
  for k, v in info:gmatch("([%w_]+):([^\r\n]*)") do kv[k] = v end
  local out = stdnse.output_table()
  for _, f in ipairs(FIELDS) do
    if kv[f[1]] then out[f[2]] = kv[f[1]] .. (f[3] or "") end
  end
  sock:send("CONFIG GET bind\r\n")
  local b = reply(sock, st)
  if type(b) == "table" and b[2] then
    local addrs = {}
    for a in b[2]:gmatch("%S+") do addrs[#addrs + 1] = a end
    if #addrs > 0 then out["Bind addresses"] = addrs end
  end
  sock:send("CLIENT LIST\r\n")
  local c = reply(sock, st)
  sock:close()
  if type(c) == "string" then
    local ips, seen = {}, {}
    for a in c:gmatch("addr=(%S+):%d+") do
      a = a:gsub("^%[(.*)%]$", "%1")
      if not seen[a] then seen[a] = true; ips[#ips + 1] = a end
    end
    if #ips > 0 then out["Client connections"] = ips end
  end
  return out
end
