description = [[
Reads the server's SystemTime and ServerStartTime from its SMB2 NEGOTIATE
response ([MS-SMB2] 2.2.4: FILETIMEs, 100 ns units since 1601-01-01 UTC)
and shows them as date and start_date ("N/A" when the server sends 0, as
Samba and Windows 10 do). The difference from the local clock goes to
clock-skew. netkit's script.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"discovery", "safe", "default"}

local datetime = require "datetime"
local nmap = require "nmap"
local smb = require "smb"
local stdnse = require "stdnse"

hostrule = function(host)
  return smb.get_port(host) ~= nil
end

action = function(host)
  local r, err = smb.negotiate_v2(host)
  if not r then
    stdnse.debug1("SMB2 NEGOTIATE: %s", err)
    return nil
  end
  if r.systemtime == 0 then return nil end
  datetime.record_skew(host, r.time, os.time())
  local out = stdnse.output_table()
  out.date = datetime.format_timestamp(r.time)
  out.start_date = r.starttime == 0 and "N/A" or datetime.format_timestamp(r.start_time)
  return out
end
