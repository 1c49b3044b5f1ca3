// LaunchPolicy: how many of a plan's steps the router (routing/router.h) runs at once. Data, not
// code: a sequential plan has one step in flight, each started when the one before it has failed;
// a race has several, and the first to reach the client (routing/commit_point.h) cancels the rest.
// The loop that runs steps is the same for both. Every strategy today is sequential.
#pragma once

namespace switchyard::routing {

struct LaunchPolicy {
  // The most steps in flight at once; 1 tries them one after another.
  int max_in_flight = 1;
};

}  // namespace switchyard::routing
