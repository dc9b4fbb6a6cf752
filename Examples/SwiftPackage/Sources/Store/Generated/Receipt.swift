/// Generated: a second Order that the policy excludes, so it is not a finding.
struct Receipt {}
