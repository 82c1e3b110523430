// Boost.Test entry point of the unit tests.
#define BOOST_TEST_MODULE escgen unit tests
#include <boost/test/unit_test.hpp>
