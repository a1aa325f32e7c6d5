/* main() shared by the Check test programs: runs suite() and reports. */
#ifndef AM_CHECK_MAIN_H
#define AM_CHECK_MAIN_H

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

#endif
