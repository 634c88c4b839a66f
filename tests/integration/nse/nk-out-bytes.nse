categories={"safe"}
portrule=function(h,p) return p.number==8000 end
action=function(h,p) return "a\tb\rc\x7fd\x1be|<&>\"q" end
