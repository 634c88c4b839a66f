-- netkit's `sunrpc` (ours, not an nmap library): ONC RPC calls as RFC 5531
-- defines them (call and reply headers, AUTH_NONE, record marking over
-- TCP), XDR integers and strings (RFC 4506), and the names of the common
-- program numbers (IANA's "ONC RPC Program Numbers" registry and Debian's
-- /etc/rpc, netbase).
local sunrpc = {}

sunrpc.NAMES = {
  [100000] = "rpcbind", [100001] = "rstatd", [100002] = "rusersd", [100003] = "nfs",
  [100004] = "ypserv", [100005] = "mountd", [100007] = "ypbind", [100008] = "walld",
  [100009] = "yppasswdd", [100011] = "rquotad", [100012] = "sprayd", [100021] = "nlockmgr",
  [100024] = "status", [100026] = "bootparam", [100069] = "ypxfrd", [100083] = "ttdbserverd",
  [100227] = "nfs_acl", [150001] = "pcnfsd", [300019] = "amd", [391002] = "sgi_fam",
}

-- the program's name: ours above, else /etc/rpc's
function sunrpc.name(prog)
  if sunrpc.NAMES[prog] then return sunrpc.NAMES[prog] end
  local f = io.open("/etc/rpc")
  if not f then return nil end
  for line in f:lines() do
    local n, p = line:match("^([%w_.-]+)%s+(%d+)")
    if n and tonumber(p) == prog then f:close(); return n end
  end
  f:close()
  return nil
end

local xid_next = math.random(1, 0x7fffffff)

-- a CALL message: xid, CALL (0), RPC version 2, program, version,
-- procedure, AUTH_NONE credentials and verifier, then the arguments
function sunrpc.call_msg(prog, vers, proc, args)
  xid_next = (xid_next + 1) & 0x7fffffff
  return xid_next, string.pack(">I4I4I4I4I4I4I4I4I4I4", xid_next, 0, 2, prog, vers, proc,
                               0, 0, 0, 0) .. (args or "")
end

local MAX_REPLY = 1 << 20

-- one exchange on a connected socket; returns a reply table
-- {accept = state, low, high, body, pos} or nil, error
function sunrpc.exchange(sock, proto, prog, vers, proc, args)
  local xid, msg = sunrpc.call_msg(prog, vers, proc, args)
  local data
  if proto == "tcp" then
    sock:send(string.pack(">I4", 0x80000000 | #msg) .. msg)
    data = ""
    local rec = ""
    while true do
      while #rec < 4 do
        local ok, d = sock:receive_bytes(4 - #rec)
        if not ok then return nil, d end
        rec = rec .. d
      end
      local mark = string.unpack(">I4", rec)
      local n, last = mark & 0x7fffffff, mark & 0x80000000 ~= 0
      -- a reply to one call is kilobytes: a longer fragment (a text
      -- banner read as a record mark, "220 " is 842 MB) is no RPC, and
      -- waiting for it would hold the script as long as the peer drips
      if n + #data > MAX_REPLY then return nil, "not an RPC record" end
      rec = rec:sub(5)
      while #rec < n do
        local ok, d = sock:receive_bytes(n - #rec)
        if not ok then return nil, d end
        rec = rec .. d
      end
      data, rec = data .. rec:sub(1, n), rec:sub(n + 1)
      if last then break end
    end
  else
    sock:send(msg)
    local ok, d = sock:receive()
    if not ok then return nil, d end
    data = d
  end
  if #data < 24 then return nil, "short reply" end
  local rxid, mtype, rstat = string.unpack(">I4I4I4", data)
  if rxid ~= xid or mtype ~= 1 then return nil, "not a reply to our call" end
  if rstat ~= 0 then return {denied = true} end
  local _, vlen = string.unpack(">I4I4", data, 13)
  local pos = 21 + ((vlen + 3) // 4) * 4
  if #data < pos + 3 then return nil, "short reply" end
  local r = {accept = string.unpack(">I4", data, pos), body = data, pos = pos + 4}
  if r.accept == 2 and #data >= pos + 11 then
    r.low, r.high = string.unpack(">I4I4", data, pos + 4)
  end
  return r
end

function sunrpc.u32(r)
  if #r.body < r.pos + 3 then return nil end
  local v = string.unpack(">I4", r.body, r.pos)
  r.pos = r.pos + 4
  return v
end

return sunrpc
