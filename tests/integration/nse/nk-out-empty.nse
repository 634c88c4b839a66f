categories={"safe"}
portrule=function(h,p) return p.number==8000 end
action=function(h,p) return {} end
