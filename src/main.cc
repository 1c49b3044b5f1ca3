#include <cstdio>
int main() { std::puts("switchyard " SWITCHYARD_VERSION); return 0; }
